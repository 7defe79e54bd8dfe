"""The toolkit documents: reform roadmap, data accountability guide, records requests."""
