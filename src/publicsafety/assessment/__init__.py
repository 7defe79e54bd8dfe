"""The neighbourhood assessment (roadmap 4.1): questions as data, sessions, the answers store,
aggregation (priorities, raking, rounds, results beside the data) and the paper worksheet."""
