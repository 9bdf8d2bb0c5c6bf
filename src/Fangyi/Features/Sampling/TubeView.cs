namespace Fangyi.Features.Sampling;

/// <summary>The answer to a scan on a tube: the tube as it now is.</summary>
public sealed record TubeView(string Tube, string Box, int Count, int Capacity, string State);
