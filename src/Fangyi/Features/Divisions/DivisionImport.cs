using Fangyi.Core.Jurisdiction;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using Dapper;
using Fangyi.Core.Imports;
using Fangyi.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fangyi.Features.Divisions;

// Reads the 12-digit division CSV (code,name,level,parent; gzip accepted) and writes it to the store in one
// transaction: COPY on PostgreSQL, one prepared upsert on SQLite.
public static class DivisionImport
{
    // Parses a division file; bad rows are reported, good ones returned.
    public static (List<Division> Good, List<ImportRowError> Errors, int Rows) Parse(Stream input)
    {
        var stream = IsGzip(input) ? new GZipStream(input, CompressionMode.Decompress) : input;
        using var reader = new StreamReader(stream);
        var good = new List<Division>(1 << 16);
        var errors = new List<ImportRowError>();
        var header = reader.ReadLine()?.TrimStart('\uFEFF') ?? "";
        var columns = Csv.SplitLine(header).Select(c => c.Trim().ToLowerInvariant()).ToList();
        int Col(string name) => columns.IndexOf(name);
        var (iCode, iName, iLevel, iParent) = (Col("code"), Col("name"), Col("level"), Col("parent"));
        if (iCode < 0 || iName < 0)
        {
            errors.Add(new ImportRowError(1, "code", "表头缺少 code 或 name 列"));
            return (good, errors, 0);
        }
        var row = 1;
        var seen = new HashSet<long>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            row++;
            if (line.Length == 0)
            {
                continue;
            }
            var f = line.Contains('"', StringComparison.Ordinal) ? Csv.SplitLine(line) : [.. line.Split(',')];
            string Field(int i) => i >= 0 && i < f.Count ? f[i].Trim() : "";
            if (!long.TryParse(Field(iCode), NumberStyles.None, CultureInfo.InvariantCulture, out var code) || Field(iCode).Length != 12)
            {
                errors.Add(new ImportRowError(row, "code", "区划代码应为12位数字"));
                continue;
            }
            var name = Field(iName);
            if (name.Length == 0)
            {
                errors.Add(new ImportRowError(row, "name", "名称不能为空"));
                continue;
            }
            var level = iLevel >= 0 && Field(iLevel).Length > 0 ? Division.ParseLevel(Field(iLevel)) : Division.LevelOf(code);
            if (level is null)
            {
                errors.Add(new ImportRowError(row, "level", "级别应为 province/city/county/township/village"));
                continue;
            }
            long? parent = null;
            if (Field(iParent).Length > 0)
            {
                if (!long.TryParse(Field(iParent), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || Field(iParent).Length != 12)
                {
                    errors.Add(new ImportRowError(row, "parent", "上级代码应为12位数字"));
                    continue;
                }
                parent = p;
            }
            if (!seen.Add(code))
            {
                errors.Add(new ImportRowError(row, "code", "区划代码在文件中重复"));
                continue;
            }
            good.Add(new Division(code, name, level.Value, parent));
        }
        return (good, errors, row - 1);
    }

    private static bool IsGzip(Stream input)
    {
        if (!input.CanSeek)
        {
            return false;
        }
        Span<byte> magic = stackalloc byte[2];
        var read = input.Read(magic);
        input.Seek(-read, SeekOrigin.Current);
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    // Inserts new divisions and renames changed ones; returns how many rows were written.
    // progress: Rows sent, every ten thousand (on PostgreSQL the merge after the copy is not counted).
    public static async Task<int> SaveAsync(Store store, IReadOnlyList<Division> divisions, IProgress<Core.Progress.RowProgress>? progress = null, CancellationToken ct = default)
    {
        var sent = 0;
        void Sent()
        {
            if (++sent % 10_000 == 0)
            {
                progress?.Report(new Core.Progress.RowProgress(sent, divisions.Count));
            }
        }
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (connection is NpgsqlConnection pg)
        {
            await pg.ExecuteAsync("CREATE TEMP TABLE division_import (code BIGINT, name TEXT, level SMALLINT, parent BIGINT) ON COMMIT DROP", transaction: tx);
            await using (var copy = await pg.BeginBinaryImportAsync("COPY division_import (code, name, level, parent) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var d in divisions)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(d.Code, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(d.Name, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync((short)d.Level, NpgsqlDbType.Smallint, ct);
                    if (d.Parent is { } parent)
                    {
                        await copy.WriteAsync(parent, NpgsqlDbType.Bigint, ct);
                    }
                    else
                    {
                        await copy.WriteNullAsync(ct);
                    }
                    Sent();
                }
                await copy.CompleteAsync(ct);
            }
            await pg.ExecuteAsync(
                """
                INSERT INTO divisions (code, name, level, parent)
                SELECT code, name, level, parent FROM division_import
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent
                WHERE divisions.name <> excluded.name OR divisions.level <> excluded.level OR divisions.parent IS DISTINCT FROM excluded.parent
                """, transaction: tx);
        }
        else
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText =
                """
                INSERT INTO divisions (code, name, level, parent) VALUES (@code, @name, @level, @parent)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent
                WHERE divisions.name <> excluded.name OR divisions.level <> excluded.level OR divisions.parent IS NOT excluded.parent
                """;
            var p = insert.AddParameters("code", "name", "level", "parent");
            await insert.PrepareAsync(ct);
            foreach (var d in divisions)
            {
                p[0].Value = d.Code;
                p[1].Value = d.Name;
                p[2].Value = (short)d.Level;
                p[3].Value = d.Parent is { } parent ? parent : DBNull.Value;
                await insert.ExecuteNonQueryAsync(ct);
                Sent();
            }
        }
        await tx.CommitAsync(ct);
        return divisions.Count;
    }

    public static async Task<List<Division>> LoadAsync(Store store, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT code, name, level, parent FROM divisions";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<Division>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new Division(reader.GetInt64(0), reader.GetString(1), (DivisionLevel)Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), await reader.IsDBNullAsync(3, ct) ? null : reader.GetInt64(3)));
        }
        return list;
    }

    // The divisions shipped inside Fangyi: China down to county level, and all of Cangzhou.
    public static List<Division> Shipped()
    {
        var all = new List<Division>();
        foreach (var name in new[] { "divisions/china-counties.csv", "divisions/cangzhou.csv" })
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded division file {name} is missing.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            all.AddRange(Parse(copy).Good);
        }
        return all.DistinctBy(d => d.Code).ToList();
    }
}
