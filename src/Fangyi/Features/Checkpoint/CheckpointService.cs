using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Mvc;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Features.Checkpoint;

// The four-in-one check (四合一查验): one input, four facts from the status index, one verdict by the place's rule.
// Nothing here touches disk; the record of the check is queued for the group-committed ingest and not waited for.
public sealed class CheckpointService(StatusIndex index, CheckInputReader reader, CheckpointRules rules, RiskAreas risks, PlaceDirectory places,
    DivisionDirectory divisions, IngestQueue ingest, TimeProvider clock)
{
    public async ValueTask<(CheckAnswer? Answer, ProblemDetails? Problem)> VerifyAsync(DeviceRegistry.Device device, string? input, string? clientId, CancellationToken ct)
    {
        var read = await reader.ReadAsync(input, ct);
        if (read.Problem is not null)
        {
            return (null, read.Problem.WithPrompt(read.PromptKey!));
        }
        var place = await places.FindAsync(device.PlaceId, ct);
        if (place is null)
        {
            return (null, CheckpointProblems.PlaceUnknown.WithPrompt(Prompts.DeviceRefused));
        }
        var compiled = rules.Current;
        var rule = compiled.For(place.Category);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var placeView = new PlaceView(place.Name, place.Category) { CategoryName = PlaceCategories.Names.GetValueOrDefault(place.Category, place.Category) };

        CheckAnswer answer;
        long? residentId = null;
        string? colour = null;
        if (read.Slot < 0 && read.HealthCode is null)
        {
            answer = new CheckAnswer(Verdicts.NotFound, Prompts.NotFound, Prompts.Texts[Prompts.NotFound], new PersonView("", read.IdMasked), null,
                compiled.Version, placeView, now, index.AsOf);
        }
        else
        {
            PersonFacts facts = default;
            var name = "";
            var mask = read.IdMasked;
            if (read.Slot >= 0)
            {
                var status = index.Read(read.Slot);
                (facts, name, residentId) = (status.Facts, status.MaskedName, status.ResidentId);
                mask = status.IdMasked.Length > 0 ? status.IdMasked : mask;
            }
            var effective = compiled.Colours.Effective(facts, index, now);
            if (read.HealthCode is { } code)
            {
                // The province's code is its word at the time it was shown: the worse of it and what is held here.
                if (code.Colour > effective.Colour)
                {
                    effective = new EffectiveColour(code.Colour, "健康码显示" + code.Colour.ChineseName(), code.IssuedAt.ToUnixTimeMilliseconds(), ColourSources.HealthCode);
                }
                if (name.Length == 0)
                {
                    name = ResidentRules.MaskName(code.Name);
                }
            }
            var travel = Travel(facts, compiled, now);
            var (verdict, prompt, factsView) = Judge(facts, effective, travel, rule, now);
            colour = effective.Colour.Name();
            answer = new CheckAnswer(verdict, prompt, Prompts.Texts[prompt], new PersonView(name, mask), factsView, compiled.Version, placeView, now, index.AsOf);
        }
        answer = answer with { InputKind = read.Kind };

        var record = new CheckRecorded(place.Id, device.RowId, place.Division, place.Category, residentId, read.Kind, answer.Verdict, colour, compiled.Version);
        // A device's own id makes a retry one row; two devices that number their scans alike stay apart. The device
        // comes first, so each device's rows sit together in the unique index rather than all over it.
        var id = string.IsNullOrWhiteSpace(clientId) || clientId.Length > 100 ? NextId(now) : clientId.Trim();
        await ingest.EnqueueAsync(new IngestItem(device.Id + ":" + id, CheckRecordHandler.Kind, place.Division, null, device.Id, now, record) { Logged = false }, ct);
        return (answer, null);
    }

    [SuppressMessage("Security", "CA5394", Justification = "A random start keeps hosts' check ids apart; it is not a secret.")]
    private static long _sequence = Random.Shared.NextInt64(1L << 40);

    // A check's id when the device gave none: rising with time (so the unique index on it is appended to rather than
    // written all over, as random ids would), unique across hosts by a random start.
    private static string NextId(long now) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"c{now:x11}{Interlocked.Increment(ref _sequence) & 0xFFFFFFFFFFF:x11}");

    private TravelFact Travel(in PersonFacts facts, CompiledRules compiled, long now)
    {
        if (facts.ArrivedAt == 0)
        {
            return new TravelFact(false, null, null);
        }
        var from = index.Origin(facts.ArrivalFrom);
        var risk = now - facts.ArrivedAt <= compiled.TravelMs ? risks.Match(from, facts.ArrivedAt, compiled.TravelMs) : null;
        return risk is null
            ? new TravelFact(false, divisions.Tree.PathName(from), facts.ArrivedAt)
            : new TravelFact(true, $"{risk.Name}（{RiskArea.LevelNames.GetValueOrDefault(risk.Level, risk.Level)}）", facts.ArrivedAt) { Level = risk.Level };
    }

    // The verdict by a place's rule, in order of what a guard must act on first: a colour the place does not admit,
    // an arrival from a risk area, the nucleic-acid result (abnormal, missing, invalid, pending, timed out), then
    // vaccination. A negative result counts if it was sampled no longer ago than the window (by sampling time).
    public static (string Verdict, string PromptKey, FactsView Facts) Judge(in PersonFacts f, EffectiveColour colour, TravelFact travel, PlaceRule rule, long now)
    {
        var window = rule.WindowMs;
        bool Within(long sampledAt) => sampledAt > 0 && (window is not { } w || now - sampledAt <= w);
        var usableNegative = f.Result == NucleicState.Negative && Within(f.ResultSampledAt);

        // The fact shown is the one the verdict rests on: an earlier negative still in the window, or the latest sample.
        var (state, sampledAt) = usableNegative ? (NucleicState.Negative, f.ResultSampledAt) : (f.SampleState, f.SampledAt);
        var nucleic = new NucleicAcidFact(state.Name(), sampledAt > 0 ? sampledAt : null, sampledAt > 0 ? Math.Round((now - sampledAt) / 3_600_000.0, 1) : null,
            Within(sampledAt), rule.WindowHours ?? 0)
        {
            PendingSampledAt = usableNegative && f.SampleState == NucleicState.Pending && f.SampledAt > f.ResultSampledAt ? f.SampledAt : null,
        };
        var facts = new FactsView(
            new ColourFact(colour.Colour.Name(), colour.Reason, colour.Since > 0 ? colour.Since : null) { Source = colour.Source, Until = colour.Until > 0 ? colour.Until : null },
            nucleic,
            new VaccinationFact(f.Doses, f.LastDoseAt > 0 ? f.LastDoseAt : null) { RequiredDoses = rule.MinDoses },
            travel);

        if (!rule.Allows(colour.Colour))
        {
            // A colour made worse by a result here speaks of the result: a guard asks a positive and a mixed tube's
            // person different things. Any other colour not admitted speaks of the colour.
            var prompt = (colour.Source, f.Result) switch
            {
                (ColourSources.NucleicAcid, NucleicState.Positive) => Prompts.Positive,
                (ColourSources.NucleicAcid, NucleicState.MixedPositive) => Prompts.MixedPositive,
                _ => colour.Colour == HealthColour.Red ? Prompts.RedCode : Prompts.NotGreen,
            };
            return (Verdicts.Check, prompt, facts);
        }
        if (rule.RiskAreaCheck && travel.FromRiskArea)
        {
            return (Verdicts.Check, Prompts.RiskArea, facts);
        }
        if (window is not null && !usableNegative)
        {
            var (verdict, prompt) = f switch
            {
                { Result: NucleicState.Positive or NucleicState.MixedPositive } => (Verdicts.Check, Prompts.Positive),
                { SampleState: NucleicState.Pending } when Within(f.SampledAt) => (Verdicts.ResultPending, Prompts.ResultPending),
                { Result: NucleicState.Invalid } => (Verdicts.ResultInvalid, Prompts.ResultInvalid),
                { Result: NucleicState.Negative } => (Verdicts.ResultTimedOut, Prompts.ResultTimedOut),
                _ => (Verdicts.NoResult, Prompts.NoResult),
            };
            return (verdict, prompt, facts);
        }
        if (f.Doses < rule.MinDoses)
        {
            return (Verdicts.VaccinationRequired, Prompts.VaccinationRequired, facts);
        }
        return (Verdicts.Pass, Prompts.Pass, facts);
    }
}
