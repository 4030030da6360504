import EventLog
// Placeholder until the fuzz target lands.
print("LogFuzz")
