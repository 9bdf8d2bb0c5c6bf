namespace Fangyi.Core.Imports;

/// <summary>A file import running in the background; the console polls it for progress and its error report.</summary>
public sealed class ImportJob(string id, string kind, string fileName, long accountId)
{
    private long _processed;

    public string Id { get; } = id;
    public string Kind { get; } = kind;
    public string FileName { get; } = fileName;
    public long AccountId { get; } = accountId;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public ImportState State { get; internal set; }
    public long Processed => Interlocked.Read(ref _processed);
    public ImportReport? Report { get; internal set; }
    public string? Failure { get; internal set; }
    public Task Completion { get; internal set; } = Task.CompletedTask;

    public void Progress(long rows) => Interlocked.Exchange(ref _processed, rows);
}
