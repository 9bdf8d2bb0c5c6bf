using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fangyi.Tests.Support;

/// <summary>
/// The real <c>fangyi</c> program run as a child process (<c>dotnet fangyi.dll ...</c>), for tests that must kill
/// it the hard way. Its output is kept (the last lines) to explain a failure.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.Length > 4000 ? _output.ToString(_output.Length - 4000, 4000) : _output.ToString();
            }
        }
    }

    /// <summary>Runs <c>fangyi serve</c> on a free loopback port and waits until /healthz answers.</summary>
    public static async Task<HostProcess> ServeAsync(string store, string dataDir)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var host = new HostProcess(Start("serve", "--urls", url, "--store", store, "--data", dataDir), url);
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Runs a one-shot command (e.g. <c>accounts add</c>) to its end; returns its standard output.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"fangyi {args[0]} exited with {process.ExitCode}: {await output}{await error}");
        return await output;
    }

    /// <summary>SIGKILL to the host and anything it started: no shutdown code runs, nothing is flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(HostAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Request logging would only fill the pipe; warnings and errors still show in a failure message.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("FANGYI_STORE");
        info.Environment.Remove("FANGYI_DATA");
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            Assert.False(_process.HasExited, $"fangyi serve exited with {(_process.HasExited ? _process.ExitCode : 0)}: {Output}");
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting slowly on a busy machine.
            }
            await Task.Delay(100);
        }
        Assert.Fail($"fangyi serve did not answer /healthz within {limit.TotalSeconds} s: {Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet executable that runs these tests (the CLI passes its path down), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path))
        {
            return path;
        }
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return "dotnet";
    }

    /// <summary>
    /// fangyi.dll: copied beside the test assembly (the test project references it), else the host project's own
    /// build output of the same configuration and framework as these tests, else of the other configuration.
    /// </summary>
    public static string HostAssembly()
    {
        var here = AppContext.BaseDirectory;
        if (Runnable(here))
        {
            return Path.Combine(here, "fangyi.dll");
        }
        var framework = new DirectoryInfo(here).Name;
        var configuration = new DirectoryInfo(here).Parent?.Name ?? "Release";
        for (var folder = new DirectoryInfo(here); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "Fangyi.sln")))
            {
                continue;
            }
            foreach (var config in new[] { configuration, "Release", "Debug" }.Distinct())
            {
                var candidate = Path.Combine(folder.FullName, "src", "Fangyi", "bin", config, framework);
                if (Runnable(candidate))
                {
                    return Path.Combine(candidate, "fangyi.dll");
                }
            }
        }
        throw new FileNotFoundException($"fangyi.dll was not found beside {here} nor in src/Fangyi/bin; build the solution first.");
    }

    private static bool Runnable(string folder) =>
        File.Exists(Path.Combine(folder, "fangyi.dll")) && File.Exists(Path.Combine(folder, "fangyi.runtimeconfig.json"));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
