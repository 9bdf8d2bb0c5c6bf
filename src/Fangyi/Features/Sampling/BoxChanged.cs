namespace Fangyi.Features.Sampling;

// A box moved from one state to another as a side effect of a tube scan (a first result opens it for testing,
// the last one closes it), for the counters.
public readonly record struct BoxChanged(string From, string To);
