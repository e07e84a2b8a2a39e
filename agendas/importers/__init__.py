"""Reading data into the site: the Shallow Review 2025 export and our own JSON export."""
