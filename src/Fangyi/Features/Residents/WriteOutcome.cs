namespace Fangyi.Features.Residents;

public enum WriteOutcome
{
    Created,
    Updated,
    Unchanged,
    // The person is held outside the writer's jurisdiction: a transfer request was filed (the id is the request's).
    TransferRequested,
}
