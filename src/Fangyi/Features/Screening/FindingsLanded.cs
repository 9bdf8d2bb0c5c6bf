namespace Fangyi.Features.Screening;

/// <summary>
/// What a findings write did: cases made, cases that gained an entry, rows seen before, cases left for a human to
/// assign, each row's case (0 for a row not taken), and the rows refused because the registry places the person outside
/// the writer's jurisdiction (theirs to hand over through an assist request, not to write into another county's pool).
/// </summary>
public sealed record FindingsLanded(int Created, int Known, int Repeated, int Unassigned, IReadOnlyList<long> Cases, IReadOnlyList<int> Outside);
