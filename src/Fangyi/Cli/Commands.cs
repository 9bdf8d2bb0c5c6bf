using Fangyi.Core.Storage;
using System.CommandLine;
using System.Diagnostics;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Progress;
using Fangyi.Features.Accounts;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Fangyi.Host;

namespace Fangyi.Cli;

/// <summary>The <c>fangyi</c> command line.</summary>
public static class Commands
{
    private static readonly Option<string?> StoreOption = new("--store")
    {
        Description = "SQLite file path or PostgreSQL connection string (default: $FANGYI_STORE or ./data/fangyi.db)",
        Recursive = true,
    };

    private static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Data folder holding the identity key file (default: $FANGYI_DATA or ./data)",
        Recursive = true,
    };

    public static RootCommand Root()
    {
        var root = new RootCommand("Fangyi 防疫 — city-wide epidemic-prevention platform");
        root.Options.Add(StoreOption);
        root.Options.Add(DataOption);
        root.Subcommands.Add(Serve());
        var import = new Command("import", "Import divisions or residents from a file");
        import.Subcommands.Add(ImportDivisions());
        import.Subcommands.Add(ImportResidents());
        root.Subcommands.Add(import);
        var accounts = new Command("accounts", "Open accounts");
        accounts.Subcommands.Add(AccountsImport());
        accounts.Subcommands.Add(AccountsAdd());
        root.Subcommands.Add(accounts);
        var keys = new Command("keys", "Identity key management");
        keys.Subcommands.Add(KeysRotate());
        root.Subcommands.Add(keys);
        root.Subcommands.Add(CodesCommand());
        var audit = new Command("audit", "The audit log");
        audit.Subcommands.Add(AuditVerify());
        root.Subcommands.Add(audit);
        return root;
    }

    private static FangyiOptions Options(ParseResult result)
    {
        var options = new FangyiOptions();
        if (result.GetValue(StoreOption) is { Length: > 0 } store)
        {
            options = options with { Store = store };
        }
        if (result.GetValue(DataOption) is { Length: > 0 } data)
        {
            options = options with { DataDir = data };
        }
        return options;
    }

    private static Command Serve()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var demo = new Option<bool>("--demo") { Description = "Seed the demo city (Cangzhou) into an empty store and print its log-ins" };
        var demoResidents = new Option<int>("--demo-residents") { Description = "Synthetic residents in the demo city", DefaultValueFactory = _ => 100_000 };
        var retention = new Option<int>("--check-retention-days") { Description = "Days checkpoint checks are kept before they are purged", DefaultValueFactory = _ => 28 };
        var knownProxy = new Option<string[]>("--known-proxy") { Description = "Address or CIDR network of a reverse proxy whose X-Forwarded-For/-Proto are believed (repeatable; default none)", AllowMultipleArgumentsPerToken = false };
        var tlsAtProxy = new Option<bool>("--tls-at-proxy") { Description = "TLS ends at the proxy in front: cookies always Secure, HSTS always sent" };
        var migrateOnly = new Option<bool>("--migrate-only") { Description = "Apply the store's migrations and exit (run as the owner role; the host can then run as a role without DDL rights)" };
        var command = new Command("serve", "Run the platform") { urls, demo, demoResidents, retention, knownProxy, tlsAtProxy, migrateOnly };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(migrateOnly))
            {
                await using var migrated = Store.FromSpec(Options(result).Store);
                await migrated.MigrateAsync(ct);
                Console.WriteLine($"Fangyi 防疫: {migrated.Description} is up to date");
                return 0;
            }
            var options = Options(result) with
            {
                Urls = result.GetValue(urls)!, Demo = result.GetValue(demo), DemoResidents = result.GetValue(demoResidents), CheckRetentionDays = Math.Max(1, result.GetValue(retention)),
                KnownProxies = result.GetValue(knownProxy) ?? [], TlsAtProxy = result.GetValue(tlsAtProxy),
            };
            await using var app = await FangyiHost.BuildAsync(options);
            var store = app.Services.GetRequiredService<Store>();
            Console.WriteLine($"Fangyi 防疫 on {store.Description}, listening on {options.Urls}");
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }

    private static async Task<(Store Store, DivisionDirectory Divisions)> OpenAsync(FangyiOptions options)
    {
        var store = Store.FromSpec(options.Store);
        await store.MigrateAsync();
        var divisions = new DivisionDirectory();
        await new DivisionCatalog(store, divisions).LoadAsync();
        return (store, divisions);
    }

    // A long command's progress on its error stream (rows, rate, time left; a line a second at most) and its
    // summary at the end, leaving standard output to the command's result.
    private static ProgressLine Progress(ParseResult result, string job) => new(result.InvocationConfiguration.Error, job, TimeProvider.System);

    private static void Print(TextWriter output, ImportReport report, TimeSpan took)
    {
        output.WriteLine($"rows {report.Rows}: created {report.Created}, updated {report.Updated}, unchanged {report.Unchanged}, refused {report.Refused} ({took.TotalSeconds:F1} s)");
        PrintErrors(output, report.Errors);
    }

    private static void PrintErrors(TextWriter output, IReadOnlyList<ImportRowError> errors)
    {
        foreach (var e in errors.Take(50))
        {
            output.WriteLine($"  row {e.Row}, {e.Column}: {e.Reason}");
        }
        if (errors.Count > 50)
        {
            output.WriteLine($"  ... {errors.Count - 50} more");
        }
    }

    private static Command ImportDivisions()
    {
        var file = new Argument<FileInfo>("file") { Description = "Division CSV (code,name,level,parent), optionally gzip-compressed" };
        var command = new Command("divisions", "Import the 12-digit statistical division codes") { file };
        command.SetAction(async (result, ct) =>
        {
            var (store, divisions) = await OpenAsync(Options(result));
            await using var _ = store;
            var clock = Stopwatch.StartNew();
            await using var stream = result.GetValue(file)!.OpenRead();
            var progress = Progress(result, "divisions");
            var report = await new DivisionCatalog(store, divisions).ImportAsync(stream, progress, ct);
            Print(result.InvocationConfiguration.Output, report, clock.Elapsed);
            progress.Finish(report.ErrorCount, report.Rows);
            return report.Errors.Count == 0 ? 0 : 2;
        });
        return command;
    }

    private static Command ImportResidents()
    {
        var file = new Argument<FileInfo>("file") { Description = "Residents CSV or XLSX" };
        var division = new Option<long?>("--division") { Description = "Only accept residents living under this division" };
        var command = new Command("residents", "Import residents (实有人口)") { file, division };
        command.SetAction(async (result, ct) =>
        {
            var options = Options(result);
            var (store, divisions) = await OpenAsync(options);
            await using var _ = store;
            var keys = KeyRing.OpenOrCreate(options.KeyFile);
            var clock = Stopwatch.StartNew();
            var path = result.GetValue(file)!;
            await using var stream = path.OpenRead();
            var scope = result.GetValue(division) is { } code ? Scope.Of(code) : Scope.Everything;
            var progress = Progress(result, "residents");
            var report = await ResidentImport.RunAsync(store, SheetReader.Read(stream, path.Name, ImportLimits.Residents), divisions.Tree, keys, scope,
                progress: rows => progress.Report(new RowProgress(rows)), ct: ct);
            Print(result.InvocationConfiguration.Output, report, clock.Elapsed);
            progress.Finish(report.ErrorCount, report.Rows);
            return report.Errors.Count == 0 ? 0 : 2;
        });
        return command;
    }

    private static Command AccountsImport()
    {
        var file = new Argument<FileInfo>("file") { Description = "XLSX or CSV with username, name, role, division" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the one-time passwords", DefaultValueFactory = _ => new FileInfo("accounts-opened.xlsx") };
        var command = new Command("import", "Open field accounts in bulk with one-time passwords (the console's rules: field roles only)") { file, output };
        command.SetAction(async (result, ct) =>
        {
            var credentials = result.GetValue(output)!;
            var options = Options(result);
            var (store, divisions) = await OpenAsync(options);
            await using var _ = store;
            var accounts = new AccountService(store, new AccountOptions(), TimeProvider.System);
            var path = result.GetValue(file)!;
            var stdout = result.InvocationConfiguration.Output;
            await using var stream = path.OpenRead();
            var progress = Progress(result, "accounts");
            var rows = SheetReader.Read(stream, path.Name, ImportLimits.Accounts).ToList();
            var opened = await AccountImport.OpenAsync(rows, Scope.Everything, accounts, divisions, progress, ct);
            PrintErrors(stdout, opened.Errors);
            if (opened.Opened.Count > 0)
            {
                await File.WriteAllBytesAsync(credentials.FullName, AccountsApi.CredentialsSheet(opened.Opened), ct);
            }
            await stdout.WriteLineAsync($"opened {opened.Opened.Count}, refused {opened.Errors.Count}; one-time passwords in {credentials.FullName}");
            progress.Finish(opened.Errors.Count, rows.Count);
            return opened.Errors.Count == 0 ? 0 : 2;
        });
        return command;
    }

    private static Command AccountsAdd()
    {
        var username = new Option<string>("--username") { Required = true };
        var name = new Option<string>("--name") { Required = true };
        var role = new Option<string>("--role") { Description = string.Join(", ", Roles.Names.Keys), DefaultValueFactory = _ => Roles.Admin };
        var division = new Option<long>("--division") { Required = true };
        var command = new Command("add", "Open one account (for example the first city admin) and print its one-time password") { username, name, role, division };
        command.SetAction(async (result, ct) =>
        {
            var (store, divisions) = await OpenAsync(Options(result));
            await using var _ = store;
            var accounts = new AccountService(store, new AccountOptions(), TimeProvider.System);
            var parsedRole = Roles.Parse(result.GetValue(role));
            if (AccountsApi.Check(result.GetValue(username)!, result.GetValue(name)!, parsedRole, result.GetValue(division), Scope.Everything, divisions) is { } fault)
            {
                await Console.Error.WriteLineAsync($"{fault.Column}: {fault.Reason}");
                return 2;
            }
            var password = AccountService.OneTimePassword();
            if (!await accounts.CreateAsync([new AccountService.NewAccount(result.GetValue(username)!, result.GetValue(name)!, parsedRole!, result.GetValue(division), password, true)], ct))
            {
                await Console.Error.WriteLineAsync(AccountService.UsernameTaken.Title);
                return 2;
            }
            Console.WriteLine($"opened {result.GetValue(username)}; one-time password: {password}");
            return 0;
        });
        return command;
    }

    private static Command KeysRotate()
    {
        var command = new Command("rotate", "Make a new identity key and move every resident to it");
        command.SetAction(async (result, ct) =>
        {
            var options = Options(result);
            var store = Store.FromSpec(options.Store);
            await using var _ = store;
            await store.MigrateAsync(ct);
            var keys = KeyRing.OpenOrCreate(options.KeyFile);
            var clock = Stopwatch.StartNew();
            var progress = Progress(result, "key rotation");
            var report = await KeyRotation.RotateAsync(store, keys, progress, ct);
            await result.InvocationConfiguration.Output.WriteLineAsync($"active key {report.ActiveKey}; {report.Moved} residents moved to it; retired keys: {string.Join(", ", report.Retired)} ({clock.Elapsed.TotalSeconds:F1} s)");
            progress.Finish(0, report.Moved);
            return 0;
        });
        return command;
    }

    // The citizen-code signing keys (data folder, codes.json). Running hosts sharing the folder take up a change
    // within about a second.
    private static Command CodesCommand()
    {
        var codes = new Command("codes", "Citizen-code signing keys");
        var rotate = new Command("rotate", "Make a new signing key; codes signed by the old ones still verify until their validity ends");
        rotate.SetAction(result =>
        {
            var keys = Core.Codes.CodeKeys.OpenOrCreate(Options(result).CodeKeyFile);
            var old = keys.ActiveKeyId;
            Console.WriteLine($"active code key {keys.Rotate()}; {old} verifies until {DateTimeOffset.UtcNow.Add(Core.Codes.CodeKeys.VerifiesAfterRotation):yyyy-MM-dd}");
            return 0;
        });
        var keyId = new Argument<string>("keyid") { Description = "The key id to retire (see /.well-known/fangyi-code-keys)" };
        var retire = new Command("retire", "Retire a signing key: the codes it signed are refused from now on") { keyId };
        retire.SetAction(result =>
        {
            var keys = Core.Codes.CodeKeys.OpenOrCreate(Options(result).CodeKeyFile);
            var id = result.GetValue(keyId)!.Trim().ToLowerInvariant();
            if (!keys.Retire(id))
            {
                Console.Error.WriteLine($"no code key {id}");
                return 1;
            }
            Console.WriteLine($"code key {id} retired; active code key {keys.ActiveKeyId}");
            return 0;
        });
        codes.Subcommands.Add(rotate);
        codes.Subcommands.Add(retire);
        return codes;
    }

    // Walks the audit log's hash chain; exit 0 when whole, 3 naming the first row altered, removed or inserted.
    private static Command AuditVerify()
    {
        var command = new Command("verify", "Check the audit log's hash chain and name the first altered, removed or inserted row");
        command.SetAction(async (result, ct) =>
        {
            await using var store = Store.FromSpec(Options(result).Store);
            await store.MigrateAsync(ct);
            var progress = Progress(result, "audit log");
            var verification = await Core.Audit.AuditChain.VerifyAsync(store, progress, ct);
            var output = result.InvocationConfiguration.Output;
            progress.Finish(verification.First is null ? 0 : 1, verification.Rows);
            if (verification.First is { } broken)
            {
                await output.WriteLineAsync($"audit log BROKEN ({verification.Rows} rows): {broken.Fault.ToString().ToLowerInvariant()} at seq {broken.Seq}: {broken.Description}");
                return 3;
            }
            await output.WriteLineAsync($"audit log intact: {verification.Rows} rows ({verification.Unchained} from before the chain), head {verification.Head ?? "-"}");
            return 0;
        });
        return command;
    }
}
