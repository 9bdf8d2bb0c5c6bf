using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Fangyi.Core.Imports;

/// <summary>Runs file imports off the request and keeps their outcome for a day, for the owner to read.</summary>
public sealed class ImportJobs(ILogger<ImportJobs> log)
{
    private readonly ConcurrentDictionary<string, ImportJob> _jobs = new();

    public ImportJob Start(string kind, string fileName, long accountId, Func<ImportJob, Task<ImportReport>> work)
    {
        foreach (var old in _jobs.Values.Where(j => j.StartedAt < DateTimeOffset.UtcNow.AddDays(-1)))
        {
            _jobs.TryRemove(old.Id, out _);
        }
        var job = new ImportJob(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), kind, fileName, accountId);
        _jobs[job.Id] = job;
        job.Completion = Task.Run(async () =>
        {
            try
            {
                job.Report = await work(job);
                job.State = ImportState.Done;
            }
            catch (Fangyi.Core.Http.ApiProblemException refused)
            {
                // A file refused before any row landed (too large, unreadable): the user reads why.
                job.Failure = refused.Message;
                job.State = ImportState.Failed;
            }
            catch (Exception error)
            {
                log.LogError(error, "Import {Job} of {Kind} failed", job.Id, kind);
                job.Failure = "导入失败：文件无法读取或数据暂时无法保存，已保存的批次保留，请修正后重新导入";
                job.State = ImportState.Failed;
            }
        });
        return job;
    }

    /// <summary>A job is visible to the account that started it only.</summary>
    public ImportJob? Find(string id, long accountId) =>
        _jobs.TryGetValue(id, out var job) && job.AccountId == accountId ? job : null;

    public IEnumerable<ImportJob> ForAccount(long accountId) =>
        _jobs.Values.Where(j => j.AccountId == accountId).OrderByDescending(j => j.StartedAt);
}
