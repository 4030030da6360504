import EventLog
print("bench")
