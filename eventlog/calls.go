package eventlog

// The vocabulary of a log read from call records (one row per call, one
// column per stage time; `--shape calls`): each call is a case, and each
// stage that happened is one event whose Start is when the stage began and
// whose Time is when it ended. The reader writes these names and the
// analysis looks for them, so neither imports the other.
const (
	// CallVRU is the time in the voice-response unit (IVR).
	CallVRU = "VRU"
	// CallQueueAnswered and CallQueueAbandoned are the time waiting for an
	// agent, ended by an answer or by the caller hanging up.
	CallQueueAnswered  = "queue, answered"
	CallQueueAbandoned = "queue, abandoned"
	// CallService is the time with an agent.
	CallService = "service"
	// CallVRUDepartment and CallQueueDepartment are the departments of
	// the VRU and queue stages: telephony waiting stages, where no one
	// works the request yet, so the analysis does not take either for a
	// case's front office (the unit that takes the request and closes it).
	CallVRUDepartment   = "VRU"
	CallQueueDepartment = "queue"
	// CallAgentDepartment is the department of the service stage unless
	// the reader is told the agents' own department (the front office a
	// ticket starts in, such as KCC), which makes the call and the ticket
	// it became one stay rather than an invented agent → KCC handoff.
	CallAgentDepartment = "agent"
	// CallType is the string attribute column of the call type (the
	// export's service or skill, such as PS or NW).
	CallType = "call_type"
	// CallCustomer is the string attribute column of the caller's customer
	// id, null when the caller was not identified.
	CallCustomer = "customer_id"
)
