using Fangyi.Core.Imports;

namespace Fangyi.Features.Screening;

/// <summary>
/// What a push did: its id, its rows, those that landed (new cases plus people already in the pool), rows seen before,
/// cases left for a human to assign, and every bad row by number, column and reason.
/// </summary>
public sealed record PushLanded(long PushId, int Total, int Imported, int Created, int Known, int Repeated, int Unassigned, IReadOnlyList<ImportRowError> Errors);
