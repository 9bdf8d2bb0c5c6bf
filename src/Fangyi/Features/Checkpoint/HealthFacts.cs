using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Features.Checkpoint;

/// <summary>A write of one of the checkpoint's facts about a resident, with the writer's jurisdiction for the handler to check.</summary>
public abstract record FactWrite(long ResidentId)
{
    [JsonIgnore]
    public Scope Scope { get; init; }
}

/// <summary>A colour change from the provincial feed: the colour, since when, and why.</summary>
public sealed record ColourChange(long ResidentId, string Colour, long Since, string Reason) : FactWrite(ResidentId);

/// <summary>One vaccination dose (剂次) given on a date.</summary>
public sealed record VaccinationDose(long ResidentId, int Dose, long At, string Vaccine) : FactWrite(ResidentId);

/// <summary>A person arrived here from a division (来返).</summary>
public sealed record ArrivalReport(long ResidentId, long From, long ArrivedAt) : FactWrite(ResidentId);

/// <summary>A social-security card number mapped to a resident: kept as a keyed hash and a mask, like identity numbers.</summary>
public sealed record CardMapping(long ResidentId, [property: JsonIgnore] byte[] CardHash, int KeyId, string CardMasked) : FactWrite(ResidentId);

public static class FactKinds
{
    public const string Colour = "colour.set";
    public const string Vaccination = "vaccination.dose";
    public const string Arrival = "arrival.add";
    public const string Card = "social_security.map";

    public static readonly IReadOnlyCollection<string> All = [Colour, Vaccination, Arrival, Card];
}

public sealed record ColourSaved(long ResidentId, string Colour, long Since, bool Applied);

public sealed record VaccinationSaved(long ResidentId, int Doses, long LastDoseAt);

public sealed record ArrivalSaved(long ResidentId, long From, long ArrivedAt);

public sealed record CardSaved(long ResidentId, string CardMasked);

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
        var doses = (await connection.QueryInAsync<(long Resident, long Dose, long At), long>(tx, dialect, "SELECT resident_id, dose, at FROM vaccinations WHERE {in}", "resident_id", residents, ct))
            .GroupBy(r => r.Resident).ToDictionary(g => g.Key, g => g.ToDictionary(r => (int)r.Dose, r => r.At));

        // An arrival is kept once: the same report sent again (a file uploaded twice, each row under a fresh random id)
        // is answered as saved and adds nothing.
        var arrivalResidents = items.Where(i => i.Item.Payload is ArrivalReport).Select(i => ((FactWrite)i.Item.Payload).ResidentId).Distinct().ToList();
        var arrived = arrivalResidents.Count == 0 ? [] : (await connection.QueryInAsync<(long Resident, long From, long At), long>(tx, dialect,
            "SELECT resident_id, from_division, arrived_at FROM arrivals WHERE {in}", "resident_id", arrivalResidents, ct)).ToHashSet();

        var colourRows = new Dictionary<long, ColourChange>();
        var doseRows = new List<VaccinationDose>();
        var arrivalRows = new List<(ArrivalReport Arrival, long Division)>();
        var cardRows = new List<CardMapping>();
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
                    doseRows.Add(dose);
                    item.Accept(new VaccinationSaved(dose.ResidentId, given.Count, given.Values.Max()), 201);
                    break;
                case ArrivalReport arrival:
                    if (arrived.Add((arrival.ResidentId, arrival.From, arrival.ArrivedAt)))
                    {
                        arrivalRows.Add((arrival, division));
                    }
                    item.Accept(new ArrivalSaved(arrival.ResidentId, arrival.From, arrival.ArrivedAt), 201);
                    break;
                case CardMapping card:
                    cardRows.Add(card);
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
        if (doseRows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO vaccinations (resident_id, dose, at, vaccine, recorded_at) VALUES (@ResidentId, @Dose, @At, @Vaccine, @now)
                ON CONFLICT (resident_id, dose) DO UPDATE SET at = excluded.at, vaccine = excluded.vaccine, recorded_at = excluded.recorded_at
                """, doseRows.Select(d => new { d.ResidentId, d.Dose, d.At, d.Vaccine, now }), tx, cancellationToken: ct));
        }
        if (arrivalRows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO arrivals (resident_id, from_division, arrived_at, division, recorded_at) VALUES (@ResidentId, @From, @ArrivedAt, @Division, @now)",
                arrivalRows.Select(a => new { a.Arrival.ResidentId, a.Arrival.From, a.Arrival.ArrivedAt, a.Division, now }), tx, cancellationToken: ct));
        }
        if (cardRows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO social_security_cards (card_hash, key_id, card_masked, resident_id, updated_at) VALUES (@CardHash, @KeyId, @CardMasked, @ResidentId, @now)
                ON CONFLICT (card_hash) DO UPDATE SET key_id = excluded.key_id, card_masked = excluded.card_masked, resident_id = excluded.resident_id, updated_at = excluded.updated_at
                """, cardRows.Select(c => new { c.CardHash, c.KeyId, c.CardMasked, c.ResidentId, now }), tx, cancellationToken: ct));
        }
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
        await ReadAsync(connection, "SELECT resident_id, colour, since, reason FROM health_colours", residents,
            r => sink.FeedColour(r.GetInt64(0), StatusNames.ParseColour(r.GetString(1)) ?? HealthColour.Green, r.GetInt64(2), r.GetString(3)), ct);
        await ReadAsync(connection, "SELECT resident_id, COUNT(*), MAX(at) FROM vaccinations {where} GROUP BY resident_id", residents,
            r => sink.Vaccination(r.GetInt64(0), (int)r.GetInt64(1), r.GetInt64(2)), ct);
        await ReadAsync(connection, "SELECT resident_id, from_division, arrived_at FROM arrivals", residents,
            r => sink.Arrival(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), ct);
        if (residents is null)
        {
            await ReadAsync(connection, "SELECT card_hash, key_id, resident_id FROM social_security_cards", null,
                r => sink.SocialSecurity((byte[])r.GetValue(0), r.GetInt32(1), r.GetInt64(2)), ct);
        }
    }

    /// <summary>Streams a query (for everyone, or only some residents) row by row into <paramref name="row"/>.</summary>
    [SuppressMessage("Security", "CA2100", Justification = "Callers pass constant SQL; the resident list is bound parameters.")]
    private async Task ReadAsync(DbConnection connection, string sql, IReadOnlyCollection<long>? residents, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        var where = "";
        if (residents is not null)
        {
            var args = new DynamicParameters();
            where = "WHERE " + store.Dialect.InList("resident_id", residents.ToList(), args, "r");
            command.AddParameters(args);
        }
        command.CommandText = sql.Contains("{where}", StringComparison.Ordinal) ? sql.Replace("{where}", where, StringComparison.Ordinal) : $"{sql} {where}";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }
}
