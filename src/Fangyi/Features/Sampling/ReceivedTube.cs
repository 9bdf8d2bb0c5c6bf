namespace Fangyi.Features.Sampling;

// One tube of a received box: the state it left, when it was sealed and how many people it holds.
public readonly record struct ReceivedTube(string FromState, long? SealedAt, int People);
