namespace Fangyi.Features.Screening;

/// <summary>
/// A person whose hold a decision changed: a hold placed (colour, since, until, reason) goes to the status index at once
/// after the commit; without a colour the person is read again from the store (a hold that ends or is lifted).
/// </summary>
public sealed record HoldChanged(long ResidentId, int? Colour = null, long Since = 0, long Until = 0, string? Reason = null);
