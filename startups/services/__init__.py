"""Actions that change startup support; each checks permission, runs in one transaction,
records who did what in the audit trail and notifies the people concerned. One module per
part of the journey; import from the module (``startups.services.applications``)."""
