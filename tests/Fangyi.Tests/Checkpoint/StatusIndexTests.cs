using System.Net.Http.Json;
using System.Security.Cryptography;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Residents;
using Fangyi.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Checkpoint;

public class StatusIndexTests
{
    private static (StatusIndex Index, KeyRing Keys, FakeTimeProvider Clock) Make()
    {
        var keys = KeyRing.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "keys.json"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        return (new StatusIndex(keys, clock), keys, clock);
    }

    private static PersonRecord Person(KeyRing keys, long id, string number, byte[]? subject = null) =>
        new(id, keys.Active.Id, keys.Hash(DocTypes.ResidentId, number), subject, "张三丰", DocTypes.ResidentId, IdNumber.Mask(number));

    [Fact]
    public void AHundredThousandPeople_TakeAtMost128BytesEach_AndAreFoundByNumberCodeAndCard()
    {
        var (index, keys, _) = Make();
        const int n = 100_000;
        index.Reserve(n, n);
        var numbers = new string[n];
        var subjects = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            numbers[i] = IdNumber.Make(130922, new DateOnly(1950, 1, 1).AddDays(i / 900), i % 900 + 1);
            subjects[i] = RandomNumberGenerator.GetBytes(16);
            index.Person(Person(keys, i + 1, numbers[i], subjects[i]));
            if (i % 10 == 0)
            {
                index.SocialSecurity(KeyRing.Hash(keys.Active, StatusIndex.SocialSecurityHashType, $"A{i:D8}"), keys.Active.Id, i + 1);
            }
        }

        Assert.Equal(n, index.Count);
        Assert.True(index.Bytes / (double)n <= 128, $"{index.Bytes / (double)n:F1} bytes a person");
        foreach (var i in new[] { 0, 1, 4_999, 77_777, n - 1 })
        {
            var slot = index.FindByIdentity(DocTypes.ResidentId, numbers[i]);
            var status = index.Read(slot);
            Assert.Equal(i + 1, status.ResidentId);
            Assert.Equal(IdNumber.Mask(numbers[i]), status.IdMasked);
            Assert.Equal("张*丰", status.MaskedName);
            Assert.Equal(slot, index.FindBySubject(subjects[i]));
        }
        Assert.Equal(index.FindByResident(77_771), index.FindBySocialSecurity("A00077770"));
        Assert.Equal(-1, index.FindBySocialSecurity("A00077771"));
        Assert.Equal(-1, index.FindByIdentity(DocTypes.ResidentId, IdNumber.Make(130922, new DateOnly(2001, 1, 1), 1)));
        Assert.Equal(-1, index.FindBySubject(new byte[16]));
    }

    // A reader and a writer interleaved at chosen points. The same race run flat out for seconds, on several
    // threads, is the benchmark's (bench/Fangyi.Bench, part index-races): a suite cannot run it long enough to mean much.

    [Fact]
    public void AWriteLandingInTheMiddleOfACopy_MakesTheReaderCopyAgain()
    {
        var stripes = new SlotStripes();
        var (x, y) = (1, 1);
        var copies = 0;

        var read = stripes.Read(7, 0, (_, slot) =>
        {
            var first = x;
            if (copies++ == 0)
            {
                // The writer gets in between the reader's two fields.
                stripes.BeginWrite(slot);
                (x, y) = (2, 2);
                stripes.EndWrite(slot);
            }
            return (first, y);
        });

        Assert.Equal((2, 2), read);
        Assert.Equal(2, copies);
        Assert.Equal(1, stripes.Retries);
    }

    [Fact]
    public async Task AReader_WaitsOutAWriteUnderWay_AndThenSeesAllOfIt()
    {
        var stripes = new SlotStripes();
        var (x, y) = (1, 1);
        stripes.BeginWrite(7);
        x = 2;   // the writer is half-way: x written, y not yet

        var reader = Task.Run(() => stripes.Read(7, 0, (_, _) => (Volatile.Read(ref x), Volatile.Read(ref y))));
        await Until.TrueAsync(() => stripes.Waits > 0 || reader.IsCompleted, "the reader looks at the slot");
        var finishedEarly = reader.IsCompleted;
        Volatile.Write(ref y, 2);
        stripes.EndWrite(7);
        var read = await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(finishedEarly, "the reader returned while the write was under way");
        Assert.Equal((2, 2), read);
    }

    [Fact]
    public async Task AnIndexRead_WaitsOutAWriteUnderWayOnItsSlot()
    {
        var (index, keys, _) = Make();
        index.Person(Person(keys, 1, IdNumber.Make(130922, new DateOnly(1980, 1, 1), 1)));
        var slot = index.FindByResident(1);
        index.Stripes.BeginWrite(slot);

        var reader = Task.Run(() => index.Read(slot));
        await Until.TrueAsync(() => index.Stripes.Waits > 0 || reader.IsCompleted, "the reader looks at the slot");
        var finishedEarly = reader.IsCompleted;
        index.Stripes.EndWrite(slot);
        var read = await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(finishedEarly, "the index was read while a write to the slot was under way");
        Assert.Equal(1, read.ResidentId);
    }

    /// <summary>Every way of writing a person moves the person's stripe, so no write can slip past a reader.</summary>
    [Fact]
    public void EveryWrite_IsSeenByAReaderOfItsSlot()
    {
        var (index, keys, clock) = Make();
        var number = IdNumber.Make(130922, new DateOnly(1980, 1, 1), 3);
        index.Person(Person(keys, 3, number));
        var slot = index.FindByResident(3);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var writes = new Dictionary<string, Action>
        {
            ["person"] = () => index.Person(Person(keys, 3, number) with { Name = "李四" }),
            ["subject"] = () => index.Subject(3, RandomNumberGenerator.GetBytes(16)),
            ["feed colour"] = () => index.FeedColour(3, HealthColour.Yellow, now, "省平台赋黄码"),
            ["hold"] = () => index.Hold(3, HealthColour.Red, now, now + 86_400_000, "密切接触者"),
            ["sample"] = () => index.Sample(3, now, NucleicState.Negative),
            ["vaccination"] = () => index.Vaccination(3, 2, now),
            ["arrival"] = () => index.Arrival(3, 130_100_000_000, now),
            ["refresh"] = () => index.Replace(3, new PersonFacts { SampledAt = now + 60_000, SampleState = NucleicState.Negative }),
        };

        var copies = writes.ToDictionary(w => w.Key, w =>
        {
            var n = 0;
            index.Stripes.Read(slot, 0, (_, _) =>
            {
                if (n++ == 0)
                {
                    w.Value();
                }
                return 0;
            });
            return n;
        });

        Assert.All(copies, c => Assert.True(c.Value == 2, $"a {c.Key} write went unseen by a reader copying the slot"));
    }

    [Fact]
    public void AHold_MakesAPersonWorseUntilItEnds_AndNeverBetter()
    {
        var (index, keys, clock) = Make();
        index.Person(Person(keys, 7, IdNumber.Make(130922, new DateOnly(1980, 1, 1), 7)));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        index.FeedColour(7, HealthColour.Yellow, now - 1000, "省平台赋黄码");
        var policy = new ColourPolicy();

        index.Hold(7, HealthColour.Red, now, now + 7 * 86_400_000L, "密切接触者");
        index.Hold(7, HealthColour.Green, now, now + 30 * 86_400_000L, "不会生效");
        var held = policy.Effective(index.Read(index.FindByResident(7)).Facts, index, now);
        clock.Advance(TimeSpan.FromDays(8));
        var after = policy.Effective(index.Read(index.FindByResident(7)).Facts, index, clock.GetUtcNow().ToUnixTimeMilliseconds());

        Assert.Equal((HealthColour.Red, "密切接触者", "hold"), (held.Colour, held.Reason, held.Source));
        Assert.Equal((HealthColour.Yellow, "省平台赋黄码", "feed"), (after.Colour, after.Reason, after.Source));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task PeopleStayFound_AcrossAKeyRotation_AndAfterARebuild(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var number = (await world.ResidentsAsync(1))[0];
        var keys = world.App.Get<KeyRing>();

        var report = await KeyRotation.RotateAsync(world.App.Store, keys);
        var afterRotation = await world.AnswerAsync("mall", number);
        using var rebuilt = new StatusIndex(keys, world.Clock);
        await new ResidentStatus(world.App.Store, rebuilt).LoadAsync(rebuilt, null, CancellationToken.None);

        Assert.NotEmpty(report.Retired);
        Assert.Equal("no_result", afterRotation.GetProperty("verdict").GetString());
        Assert.True(rebuilt.FindByIdentity(DocTypes.ResidentId, number) >= 0);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ResidentsAnotherProcessWrote_ReachTheIndexOnTheNextCatchUp(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var tree = world.App.Get<DivisionDirectory>().Tree;
        var keys = world.App.Get<KeyRing>();
        var number = People.NewId();
        var (resident, _) = ResidentRules.Prepare(new ResidentInput(null, number, "王小二", null, People.Code(Villages.Simazhuang), null, null), tree, keys, Scope.Everything, DateOnly.FromDateTime(DateTime.Now));
        // As `fangyi import residents` would, straight into the store.
        await using (var connection = await world.App.Store.OpenAsync())
        {
            await using var tx = await connection.BeginTransactionAsync();
            await ResidentWriter.WriteAsync(connection, tx, world.App.Store.Dialect, [resident!], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), needIds: false);
            await tx.CommitAsync();
        }

        var before = await world.AnswerAsync("mall", number);
        await world.App.Get<StatusIndexHost>().CatchUpAsync();
        var after = await world.AnswerAsync("mall", number);

        Assert.Equal("not_found", before.GetProperty("verdict").GetString());
        Assert.Equal(("no_result", "王*二"), (after.GetProperty("verdict").GetString(), after.GetProperty("person").GetProperty("name").GetString()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ACitizenCodeIssuedElsewhere_IsFoundInTheStoreOnce(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var number = (await world.ResidentsAsync(1))[0];
        var id = (await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/residents/search", new { q = number })))[0].GetProperty("id").GetInt64();
        // Another host gave the resident a subject: this host's index has not heard of it.
        var subject = RandomNumberGenerator.GetBytes(16);
        await using (var connection = await world.App.Store.OpenAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE residents SET subject = @s WHERE id = @id";
            var (s, i) = (command.CreateParameter(), command.CreateParameter());
            (s.ParameterName, s.Value, i.ParameterName, i.Value) = ("@s", subject, "@id", id);
            command.Parameters.Add(s);
            command.Parameters.Add(i);
            await command.ExecuteNonQueryAsync();
        }
        var code = world.App.Get<Core.Codes.SignedCodes>().Issue(Core.Codes.CodeKind.Citizen, subject, TimeSpan.FromDays(1));

        var answer = await world.AnswerAsync("mall", code);

        Assert.Equal(IdNumber.Mask(number), answer.GetProperty("person").GetProperty("idMasked").GetString());
        Assert.True(world.App.Get<StatusIndex>().FindBySubject(subject) >= 0);
    }
}
