using Fangyi.Core.Storage;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Divisions;
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

    [Fact]
    public void AReader_NeverSeesHalfAWrite()
    {
        var (index, keys, _) = Make();
        index.Person(Person(keys, 1, IdNumber.Make(130922, new DateOnly(1980, 1, 1), 1)));
        var slot = index.FindByResident(1);
        var stop = DateTime.UtcNow.AddMilliseconds(400);
        var writer = Task.Run(() =>
        {
            // Each write moves colour time and sample time together; a torn read would show them apart.
            for (var t = 1_800_000_000_000L; DateTime.UtcNow < stop; t += 1000)
            {
                index.Replace(1, new PersonFacts { FeedSince = t, SampledAt = t, SampleState = NucleicState.Negative, Doses = (int)(t / 1000 % 4) });
            }
        });
        var torn = 0;
        var reads = 0;
        while (!writer.IsCompleted)
        {
            var facts = index.Read(slot).Facts;
            reads++;
            if (facts.SampleState == NucleicState.Negative && facts.FeedSince != facts.SampledAt)
            {
                torn++;
            }
        }
        Assert.True(reads > 1000, $"{reads} reads");
        Assert.Equal(0, torn);
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
        var rebuilt = new StatusIndex(keys, world.Clock);
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
