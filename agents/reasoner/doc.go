// Package reasoner holds the reasoning backends of the specialist agents:
// given a task (a role, instructions, tools over the numbers, and scored
// candidates) a [Reasoner] chooses one candidate and explains why, and its
// [Decision] records the figures it used and the tool calls that produced
// them.
//
// The numbers are the product; a reasoner never makes one up. Candidates
// arrive already scored by the optimiser and the agents' tools. A reasoner
// chooses among them and writes the rationale; every number in that
// rationale must trace back to a tool result or a candidate figure.
//
// # Tasks
//
// A [Task] has the agent's Role and Instructions, its [Tool]s (name,
// description, JSON Schema of the input, default input, and a Go function
// from JSON to JSON) and its [Candidate]s (id, label, score, figures). The
// best candidate has the highest Score, or the lowest with LowerIsBetter.
//
// # Deterministic (the default)
//
// [Deterministic] works offline. It calls every tool once, in the order
// given, with the tool's DefaultInput ({} when unset); chooses the best
// score, a tie going to the candidate listed first; and fills a fixed
// template:
//
//	<Role> chooses <label> (<id>): the highest score, <s>, of <n> candidates.
//	Its figures: <name> <value>, ... Next best: <label> (<id>) with score <s>.
//	Tool figures: <tool>: <path> <value>, ...
//
// Numbers are written with up to 6 significant digits in plain decimal
// form. The same task gives the same decision, byte for byte.
//
// # Bedrock
//
// [Bedrock] asks a model on Amazon Bedrock through the Converse API of
// aws-sdk-go-v2 (service/bedrockruntime). The model id is an argument;
// region, credentials and profile come from the standard AWS configuration
// (environment, shared files, SSO, instance roles) unless options set them;
// [WithEndpoint] points the client at another endpoint (a VPC endpoint, or
// the test server). Retries are the SDK's standard retryer (3 attempts,
// jittered exponential backoff, throttling and 5xx retried), tuned with
// [WithRetry]. A decision without a deadline on its context gets
// [WithTimeout] (2 minutes by default).
//
// The loop:
//
//  1. Send the system rules, the task and its candidates (as JSON), and the
//     tool specifications (toolConfig).
//  2. While the model answers with toolUse blocks, run each tool on the
//     input it asked for and send back a toolResult (JSON; a failed call or
//     an unknown tool is an error result the model can read).
//  3. Parse the final text: a JSON object {"chosen", "rationale"}, possibly
//     in a code fence. The chosen id must be a candidate's. Every number in
//     the rationale must match a known figure.
//  4. On a violation, send one repair turn that names it and repeats the
//     rules. If the repaired answer still breaks a rule, or the turns (8 by
//     default, [WithMaxTurns]) run out, the answer is rejected: Decide
//     returns the deterministic decision with Decision.Fallback set (its Err
//     wraps [ErrRejected]). A failed model call (after retries, or past the
//     deadline) is an error wrapping [ErrModel] and the SDK's error; the
//     caller decides whether to fall back.
//
// # The figure check
//
// Known figures are: every number in a tool result of this decision (named
// tool.path, e.g. hedge_metrics.cost_bps, including numbers written inside
// its strings), each candidate's score and figures
// (candidate.<id>.<name>), numbers written in the candidates' labels and in
// the role and instructions, and the number of candidates. Numbers are read
// from the rationale with their units: 12.5% reads as 12.5, 0.125 and 1250
// (bp); 35 bp as 35, 0.0035 and 0.35 (%); $1.2bn as 1.2 and 1.2e9; m, mn,
// million, k, trn likewise; thousands separators are dropped and signs
// ignored. Digits glued to a letter (CVaR95, S40) belong to a name and are
// not read. A number matches a figure when one of its readings is within
// the relative tolerance (0.5%, [WithTolerance]) or within half a unit of
// its last written digit, so $1.2bn matches 1,234,567,890 but $1.3bn does
// not. Decision.Figures lists the figure each number matched.
//
// # Errors
//
// Errors wrap [ErrInvalidTask], [ErrInvalidOption], [ErrTool], [ErrModel]
// or [ErrRejected]. The package does not log.
package reasoner
