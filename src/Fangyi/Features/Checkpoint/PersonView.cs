namespace Fangyi.Features.Checkpoint;

public sealed record PersonView(string Name, string IdMasked);
