using System.Text.Json;
using Fangyi.Core.Http;

namespace Fangyi.Core.Ingest;

public sealed class PendingItem
{
    private readonly TaskCompletionSource<IngestOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal PendingItem(IngestItem item, string payloadJson, bool awaited = true)
    {
        Item = item;
        PayloadJson = payloadJson;
        Awaited = awaited;
        Key = (item.Principal, item.ClientId);
        Fingerprint = item.Logged ? FingerprintOf(item, payloadJson) : "";
    }

    // SHA-256 of the kind, the payload as logged and the submitter's extra material: a retry has the same one.
    private static string FingerprintOf(IngestItem item, string payloadJson) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Concat(item.Kind, "\n", payloadJson, "\n", item.Fingerprint ?? ""))));

    internal (string Principal, string ClientId) Key { get; }
    internal string Fingerprint { get; }

    // False for an item its submitter does not wait for: a failure is logged, not thrown at no one.
    internal bool Awaited { get; }

    public IngestItem Item { get; }
    internal string PayloadJson { get; }
    public bool Accepted { get; private set; }

    /// <summary>False for a refusal that may not hold later (<see cref="RefuseForNow"/>): it is logged, but it is not the answer to a retry.</summary>
    public bool Final { get; private set; } = true;

    public int Status { get; private set; }
    public object? Result { get; private set; }
    internal string? OutcomeJson { get; private set; }
    internal Task<IngestOutcome> Done => _done.Task;

    /// <summary>
    /// What the handler changed for this item, in its feature's own terms (a tube received, a resident moved), for the
    /// observers that count after the commit. Never stored and never answered: the state tables hold the result.
    /// </summary>
    public IReadOnlyList<object> Changes => (IReadOnlyList<object>?)_changes ?? [];

    private List<object>? _changes;

    public void Note(object change) => (_changes ??= new List<object>(1)).Add(change);

    public void Accept(object? result, int status = 200)
    {
        Final = true;
        Accepted = true;
        Status = status;
        Result = result;
        OutcomeJson = JsonSerializer.Serialize(result, IngestQueue.Json);
    }

    public void Refuse(ApiProblem problem)
    {
        Final = true;
        Accepted = false;
        Status = problem.Status;
        Result = problem;
        OutcomeJson = JsonSerializer.Serialize(problem.ToDetails(), IngestQueue.Json);
    }

    /// <summary>
    /// Refuses the item for a state that can change (the box is not received yet): the same item sent again with its
    /// id is taken afresh, and applied once the state allows it.
    /// </summary>
    public void RefuseForNow(ApiProblem problem)
    {
        Refuse(problem);
        Final = false;
    }

    internal void Reset()
    {
        _changes = null;
        Final = true;
        Accepted = false;
        Status = 0;
        Result = null;
        OutcomeJson = null;
    }

    internal void Complete(IngestOutcome outcome) => _done.TrySetResult(outcome);

    internal void Fail(Exception error) => _done.TrySetException(error);
}
