using System.Text.Json;

namespace Fangyi.Core.Identity;

/// <summary>Key files: readable by the owner only, written beside the old one and renamed over it, so a reader never sees half a file.</summary>
public static class SecretFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"Key file {path} is empty.");

    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// A folder only the host's user can enter (0700), created so or tightened if it exists: it holds the store,
    /// the keys and the sign-in keys. <paramref name="tighten"/>: an existing folder is made owner-only too (the data
    /// folder is the host's own; the folder a store file was put in may be shared, e.g. /tmp, and is left alone).
    /// </summary>
    public static void PrivateFolder(string path, bool tighten = true)
    {
        path = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (!Directory.Exists(path))
        {
            var parent = Path.GetDirectoryName(path);
            if (parent is not null)
            {
                Directory.CreateDirectory(parent);
            }
            Directory.CreateDirectory(path, OwnerFolder);
        }
        else if (!tighten)
        {
            return;
        }
        if ((File.GetUnixFileMode(path) & ~OwnerFolder) != 0)
        {
            File.SetUnixFileMode(path, OwnerFolder);
        }
    }

    /// <summary>
    /// A file only the host's user can read (0600), created empty if missing, tightened if it exists. SQLite creates its
    /// -wal and -shm files with the mode of the database file, so creating the database so covers them too.
    /// </summary>
    public static void PrivateFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (!File.Exists(path))
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile });
        }
        else if ((File.GetUnixFileMode(path) & ~OwnerFile) != 0)
        {
            File.SetUnixFileMode(path, OwnerFile);
        }
    }

    public static void Write<T>(string path, T content)
    {
        PrivateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, content, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        PrivateFile(path);
    }
}
