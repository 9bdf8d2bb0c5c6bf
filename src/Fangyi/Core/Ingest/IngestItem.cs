namespace Fangyi.Core.Ingest;

/// <summary>One write: a scan or a change, with the id its client made so that a retry is the same write.</summary>
public sealed record IngestItem(string ClientId, string Kind, long Division, long? AccountId, string? DeviceId, long At, object Payload)
{
    /// <summary>What the item is about (a box or tube code, a person): the event log is searchable by it.</summary>
    public string? Subject { get; init; }

    /// <summary>
    /// Whether the item is kept in the append-only event log. An item that is not (a checkpoint check) is recorded
    /// only by its handler, in a table of its own that may be purged; its handler makes a repeated client id one
    /// row, since the log cannot answer the repeat.
    /// </summary>
    public bool Logged { get; init; } = true;

    /// <summary>
    /// Material for the item's fingerprint beyond its kind and payload: what the payload leaves out because it may not
    /// be logged (a keyed hash of the person scanned), so that the same id sent again for another person is a reuse.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>Who owns the client id: the account, or the device when no account sent it. Ids are one write per owner.</summary>
    public string Principal => AccountId is { } account ? "a:" + account.ToString(System.Globalization.CultureInfo.InvariantCulture) : DeviceId is { } device ? "d:" + device : "";

    /// <summary>An id for an item whose client made none: 128 random bits, so nobody can guess it, use it first or ask for its answer.</summary>
    public static string NewClientId() => "srv:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
