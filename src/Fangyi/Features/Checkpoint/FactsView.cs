namespace Fangyi.Features.Checkpoint;

public sealed record FactsView(ColourFact Colour, NucleicAcidFact NucleicAcid, VaccinationFact Vaccination, TravelFact Travel);
