using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Residents;

/// <summary>
/// The registry's small reads for other capabilities: who a scanned person is, a village's people, a name and masked
/// number. Each is one query; the ones a hot path sends with its own statements take the caller's dialect and
/// parameters and give the SQL.
/// </summary>
public sealed class ResidentLookups
{
    /// <summary>A person as a sampling scan finds them: by look-up hash or by citizen code subject.</summary>
    public sealed record Person
    {
        public long Id { get; init; }
        public byte[]? IdHash { get; init; }
        public byte[]? Subject { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public long Division { get; init; }
    }

    /// <summary>
    /// One statement giving the <see cref="Person"/> rows of these look-up hashes and subjects, for a caller that
    /// sends it in one trip with its own (a batch of scans): a union of two index look-ups, never an OR, which
    /// neither store's planner serves from two indexes.
    /// </summary>
    public static string ScannedPeopleSql(Dialect dialect, IReadOnlyList<byte[]> hashes, IReadOnlyList<byte[]> subjects, DynamicParameters args)
    {
        const string Columns = "id, id_hash AS IdHash, subject, name, id_masked AS IdMasked, division";
        var byHash = dialect.InList("id_hash", hashes, args, "hashes");
        var bySubject = dialect.InList("subject", subjects, args, "subjects");
        return $"SELECT {Columns} FROM residents WHERE {byHash} UNION ALL SELECT {Columns} FROM residents WHERE {bySubject}";
    }
}
