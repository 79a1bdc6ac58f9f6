"""Ad hoc analysis: the pivot (explore), the read-only SQL guard, the data dictionary and saved queries."""
