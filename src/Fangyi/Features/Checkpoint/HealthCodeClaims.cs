using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

// What a provincial health code (健康码) says about its holder at the time it was issued.
public sealed record HealthCodeClaims(string DocType, string IdNumber, string Name, HealthColour Colour, DateTimeOffset IssuedAt, DateTimeOffset Expires);
