namespace Fangyi.Features.Checkpoint;

public static class FactKinds
{
    public const string Colour = "colour.set";
    public const string Vaccination = "vaccination.dose";
    public const string Arrival = "arrival.add";
    public const string Card = "social_security.map";

    public static readonly IReadOnlyCollection<string> All = [Colour, Vaccination, Arrival, Card];
}
