"""One module per part: records (meetings, plan, register), reports (composer, issuing), batch."""
