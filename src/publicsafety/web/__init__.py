"""The web app: server-rendered pages that work without JavaScript, in English and Spanish."""
