namespace Fangyi.Features.Checkpoint;

// One check as recorded: which device at which place answered what for whom, under which rules version. It is the
// payload of the ingest item too, so observers (the command screen's counters) see each check's verdict, colour
// and place division as it commits.
public sealed record CheckRecorded(long PlaceId, long DeviceRowId, long Division, string Category, long? ResidentId, string InputKind, string Verdict, string? Colour, string RuleVersion);
