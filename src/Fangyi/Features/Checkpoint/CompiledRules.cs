using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

public sealed class CompiledRules
{
    private readonly Dictionary<string, PlaceRule> _rules;

    public CompiledRules(RulesDocument document)
    {
        Document = document;
        Colours = new ColourPolicy(StatusNames.ParseColour(document.LocalColours.Positive) ?? HealthColour.Red,
            StatusNames.ParseColour(document.LocalColours.MixedPositive) ?? HealthColour.Red);
        _rules = document.Categories.ToDictionary(c => c.Key, c => new PlaceRule(c.Key, c.Value.WindowHours,
            c.Value.AllowedColours.Select(StatusNames.ParseColour).Where(x => x is not null).Aggregate(0, (mask, x) => mask | (1 << (int)x!.Value)),
            c.Value.VaccinationRequired ? Math.Max(1, c.Value.MinDoses) : 0, c.Value.RiskAreaCheck));
    }

    public RulesDocument Document { get; }

    public string Version => Document.Version;

    public ColourPolicy Colours { get; }

    public long TravelMs => Document.TravelDays * 86_400_000L;

    public IReadOnlyCollection<string> Categories => _rules.Keys;

    // A category's rule; a category the rules no longer name is judged as "other".
    public PlaceRule For(string category) => _rules.GetValueOrDefault(category) ?? _rules[PlaceCategories.Other];
}
