"""`python -m publicsafety` runs the command-line interface."""

from publicsafety.cli import main

main()
