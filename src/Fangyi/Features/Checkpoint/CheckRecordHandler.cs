using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Checkpoint;

// Writes checks into the checks table, through the group-committed ingest like every scan.
// Checks are not kept in the event log (their items are IngestItem.Logged = false): the log is
// append-only by a trigger (migration 0002) and forever, while a record of who passed which door is personal data
// kept 28 days and then purged. The checks table is the record, its unique client id makes a device's retry one
// row, and CheckRetention deletes what is past the retention period.
public sealed class CheckRecordHandler : IIngestHandler
{
    public const string Kind = "check.record";

    public IReadOnlyCollection<string> Kinds { get; } = [Kind];

    private static readonly BulkInsert<PendingItem> Checks = new BulkInsert<PendingItem>("checks")
        .Column("client_id", i => i.Item.ClientId)
        .Column("at", i => i.Item.At)
        .Column("place_id", i => Check(i).PlaceId)
        .Column("device_id", i => Check(i).DeviceRowId)
        .Column("division", i => Check(i).Division)
        .Column("resident_id", i => Check(i).ResidentId)
        .Column("input_kind", i => Check(i).InputKind)
        .Column("verdict", i => Check(i).Verdict)
        .Column("colour", i => Check(i).Colour)
        .Column("rule_version", i => Check(i).RuleVersion)
        .OnConflict("(client_id) DO NOTHING");

    private static CheckRecorded Check(PendingItem item) => (CheckRecorded)item.Item.Payload;

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        await batch.InsertAsync(Checks, items, ct);
        foreach (var item in items)
        {
            item.Accept(null);
        }
    }
}
