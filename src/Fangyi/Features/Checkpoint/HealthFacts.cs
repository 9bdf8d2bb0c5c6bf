using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Arrivals;
using Fangyi.Features.Residents;
using Fangyi.Features.Vaccination;

namespace Fangyi.Features.Checkpoint;

/// <summary>
/// The checkpoint's facts about people: health-code colour from the provincial feed, vaccination doses, arrivals and
/// social-security cards. Written through the ingest (each change a logged event with its client id, so a feed's
/// retry is one change and the colour history is the event log), kept as current state in the checkpoint's tables,
/// told to the status index as each batch commits, and loaded into it at start.
/// </summary>
public sealed class HealthFacts(Store store, StatusIndex index) : IIngestHandler, IIngestObserver, IStatusSource
{
    public IReadOnlyCollection<string> Kinds => FactKinds.All;

    public int Order => 20;

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var (connection, tx, dialect) = (batch.Connection, batch.Transaction, batch.Dialect);
        var residents = items.Select(i => ((FactWrite)i.Item.Payload).ResidentId).Distinct().ToList();
        var lives = await ResidentStatus.DivisionsAsync(connection, tx, dialect, residents, ct);
        var colours = (await connection.QueryInAsync<(long Resident, long Since), long>(tx, dialect, "SELECT resident_id, since FROM health_colours WHERE {in}", "resident_id", residents, ct))
            .ToDictionary(r => r.Resident, r => r.Since);
        var doses = await VaccinationRecords.DosesAsync(connection, tx, dialect, residents, ct);

        // An arrival is kept once: the same report sent again (a file uploaded twice, each row under a fresh random id)
        // is answered as saved and adds nothing.
        var arrivalResidents = items.Where(i => i.Item.Payload is ArrivalReport).Select(i => ((FactWrite)i.Item.Payload).ResidentId).Distinct().ToList();
        var arrived = await ArrivalRecords.HeldAsync(connection, tx, dialect, arrivalResidents, ct);

        var colourRows = new Dictionary<long, ColourChange>();
        var doseRows = new List<DoseRecord>();
        var arrivalRows = new List<ArrivalRecord>();
        var cardRows = new List<CardRecord>();
        foreach (var item in items)
        {
            var write = (FactWrite)item.Item.Payload;
            if (!lives.TryGetValue(write.ResidentId, out var division))
            {
                item.Refuse(CheckpointProblems.PersonUnknown);
                continue;
            }
            if (!write.Scope.Contains(division))
            {
                item.Refuse(Core.Http.Problems.OutsideJurisdiction);
                continue;
            }
            switch (write)
            {
                case ColourChange change:
                    // The feed's newest word wins; a change older than the one held is kept in the log only.
                    var applied = !colours.TryGetValue(change.ResidentId, out var since) || change.Since >= since;
                    if (applied)
                    {
                        colours[change.ResidentId] = change.Since;
                        colourRows[change.ResidentId] = change;
                    }
                    item.Accept(new ColourSaved(change.ResidentId, change.Colour, change.Since, applied));
                    break;
                case VaccinationDose dose:
                    var given = doses.TryGetValue(dose.ResidentId, out var held) ? held : doses[dose.ResidentId] = [];
                    given[dose.Dose] = dose.At;
                    doseRows.Add(new DoseRecord(dose.ResidentId, dose.Dose, dose.At, dose.Vaccine));
                    item.Accept(new VaccinationSaved(dose.ResidentId, given.Count, given.Values.Max()), 201);
                    break;
                case ArrivalReport arrival:
                    if (arrived.Add((arrival.ResidentId, arrival.From, arrival.ArrivedAt)))
                    {
                        arrivalRows.Add(new ArrivalRecord(arrival.ResidentId, arrival.From, arrival.ArrivedAt, division));
                    }
                    item.Accept(new ArrivalSaved(arrival.ResidentId, arrival.From, arrival.ArrivedAt), 201);
                    break;
                case CardMapping card:
                    cardRows.Add(new CardRecord(card.ResidentId, card.CardHash, card.KeyId, card.CardMasked));
                    item.Accept(new CardSaved(card.ResidentId, card.CardMasked));
                    break;
            }
        }

        var now = batch.Now;
        if (colourRows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO health_colours (resident_id, colour, reason, since, updated_at) VALUES (@ResidentId, @Colour, @Reason, @Since, @now)
                ON CONFLICT (resident_id) DO UPDATE SET colour = excluded.colour, reason = excluded.reason, since = excluded.since, updated_at = excluded.updated_at
                """, colourRows.Values.Select(c => new { c.ResidentId, c.Colour, c.Reason, c.Since, now }), tx, cancellationToken: ct));
        }
        await VaccinationRecords.WriteAsync(connection, tx, doseRows, now, ct);
        await ArrivalRecords.WriteAsync(connection, tx, arrivalRows, now, ct);
        await SocialSecurityCards.WriteAsync(connection, tx, cardRows, now, ct);
    }

    public void OnCommitted(IReadOnlyList<PendingItem> items)
    {
        foreach (var item in items)
        {
            if (!item.Accepted)
            {
                continue;
            }
            switch (item.Item.Payload)
            {
                case ColourChange change when item.Result is ColourSaved { Applied: true }:
                    index.FeedColour(change.ResidentId, StatusNames.ParseColour(change.Colour) ?? HealthColour.Green, change.Since, change.Reason);
                    break;
                case VaccinationDose when item.Result is VaccinationSaved saved:
                    index.Vaccination(saved.ResidentId, saved.Doses, saved.LastDoseAt);
                    break;
                case ArrivalReport arrival:
                    index.Arrival(arrival.ResidentId, arrival.From, arrival.ArrivedAt);
                    break;
                case CardMapping card:
                    index.SocialSecurity(card.CardHash, card.KeyId, card.ResidentId);
                    break;
            }
        }
    }

    public async Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await connection.StreamAsync(store.Dialect, "SELECT resident_id, colour, since, reason FROM health_colours", "resident_id", residents,
            r => sink.FeedColour(r.GetInt64(0), StatusNames.ParseColour(r.GetString(1)) ?? HealthColour.Green, r.GetInt64(2), r.GetString(3)), ct);
        await VaccinationRecords.ReadSummariesAsync(connection, store.Dialect, residents, sink.Vaccination, ct);
        await ArrivalRecords.ReadAsync(connection, store.Dialect, residents, sink.Arrival, ct);
        if (residents is null)
        {
            await SocialSecurityCards.ReadAllAsync(connection, store.Dialect, (hash, keyId, resident) => sink.SocialSecurity(hash, keyId, resident), ct);
        }
    }
}
