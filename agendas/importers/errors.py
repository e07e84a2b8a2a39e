class ImportFailed(Exception):
    """Input that cannot be imported; the message says which file, row and column, and why.

    Management commands turn it into a CommandError; nothing has been written when it is raised.
    """
