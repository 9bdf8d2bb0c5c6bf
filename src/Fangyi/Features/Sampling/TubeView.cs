namespace Fangyi.Features.Sampling;

// The answer to a scan on a tube: the tube as it now is.
public sealed record TubeView(string Tube, string Box, int Count, int Capacity, string State);
