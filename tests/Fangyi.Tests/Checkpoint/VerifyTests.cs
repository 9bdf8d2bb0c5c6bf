using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Codes;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Checkpoint;

public class VerifyTests
{
    private static string Verdict(JsonElement answer) => answer.GetProperty("verdict").GetString()!;

    private static string Prompt(JsonElement answer) => answer.GetProperty("promptKey").GetString()!;

    private static JsonElement Fact(JsonElement answer, string name) => answer.GetProperty("facts").GetProperty(name);

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task EveryInputKind_FindsTheSamePerson(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var number = (await world.ResidentsAsync(1))[0];
        var masked = IdNumber.Mask(number);
        var resident = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/residents/search", new { q = number }));
        var residentId = resident[0].GetProperty("id").GetInt64();
        var citizenCode = (await CheckpointWorld.Ok(await world.City.PostAsync($"/api/v1/residents/{residentId}/citizen-code", null))).GetProperty("code").GetString()!;
        var card = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/checkpoint/social-security", new[] { new { idNumber = number, cardNumber = "b98765432" } }));
        Assert.True(card[0].GetProperty("accepted").GetBoolean(), card.ToString());
        var hb1 = world.App.Get<Hb1HealthCodes>();
        var healthCode = hb1.Issue(hb1.FirstKeyId, DocTypes.ResidentId, number, "居民0", HealthColour.Green, world.Clock.GetUtcNow(), TimeSpan.FromMinutes(5));

        var inputs = new (string Input, string Kind)[]
        {
            (number, InputKinds.IdNumber),
            (" " + number[..6] + " " + number[6..14] + " " + number[14..].ToLowerInvariant() + "\r\n", InputKinds.IdNumber),   // typed with spaces; a card reader's Enter
            (citizenCode, InputKinds.CitizenCode),
            (citizenCode, InputKinds.CitizenCode),                                                                              // the same code again: from the verified-text cache
            ("B98765432", InputKinds.SocialSecurity),
            (healthCode, InputKinds.HealthCode),
        };
        foreach (var (input, expectedKind) in inputs)
        {
            var answer = await world.AnswerAsync("mall", input);
            Assert.Equal(expectedKind, answer.GetProperty("inputKind").GetString());
            Assert.Equal(masked, answer.GetProperty("person").GetProperty("idMasked").GetString());
            Assert.Equal("居*0", answer.GetProperty("person").GetProperty("name").GetString());
            Assert.Equal(Verdicts.NoResult, Verdict(answer));
        }
    }

    [Fact]
    public async Task ForgedOrDamagedCodes_AreRefused_EachWithItsCode()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite);
        var number = (await world.ResidentsAsync(1))[0];
        var codes = world.App.Get<SignedCodes>();
        var genuine = codes.Issue(CodeKind.Citizen, new byte[16], TimeSpan.FromDays(30));
        var otherKeys = CodeKeys.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "codes.json"));
        var foreign = new SignedCodes(otherKeys, world.Clock).Issue(CodeKind.Citizen, new byte[16], TimeSpan.FromDays(30));
        var shortLived = codes.Issue(CodeKind.Citizen, new byte[16], TimeSpan.FromMinutes(1));
        var hb1 = world.App.Get<Hb1HealthCodes>();
        var health = hb1.Issue(hb1.FirstKeyId, DocTypes.ResidentId, number, "居民0", HealthColour.Green, world.Clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        var forgedHealth = new Hb1HealthCodes(new Dictionary<string, byte[]> { [hb1.FirstKeyId] = new byte[32] })
            .Issue(hb1.FirstKeyId, DocTypes.ResidentId, number, "居民0", HealthColour.Green, world.Clock.GetUtcNow(), TimeSpan.FromMinutes(10));
        var badCheck = number[..17] + (number[17] == '0' ? '1' : '0');
        world.Clock.Advance(TimeSpan.FromMinutes(2));

        var cases = new (string Input, string Code)[]
        {
            (foreign, "code.signature_invalid"),                      // signed by another platform's key
            (genuine[..(genuine.Length - 7)], "code.malformed"),      // truncated
            (shortLived, "code.expired"),
            (AlterOneCharacter(genuine), "code.signature_invalid"),   // one character of the signature changed
            (forgedHealth, "code.signature_invalid"),
            (health[..(health.Length / 2)], "code.malformed"),
            (health, "code.expired"),
            ("HB1:not-a-code", "code.malformed"),
            (badCheck, "idnumber.invalid"),
            (number[..17], "idnumber.invalid"),
            ("https://example.com/qr?id=1", "checkpoint.input_unrecognised"),
            ("", "checkpoint.input_missing"),
        };
        foreach (var (input, code) in cases)
        {
            var (status, body) = await world.VerifyAsync("mall", input);
            Assert.True(status is 400 or 422, $"{input}: {status} {body}");
            Assert.Equal(code, body.GetProperty("code").GetString());
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", body.GetProperty("title").GetString()!);
            Assert.True(Prompts.Texts.ContainsKey(body.GetProperty("promptKey").GetString()!));
        }
        // The genuine code is still good: damage to a copy does not spoil the original in the cache.
        Assert.Equal(200, (await world.VerifyAsync("mall", genuine)).Status);
    }

    /// <summary>Changes one Base45 character near the end (the signature) to '0', which keeps the text decodable.</summary>
    private static string AlterOneCharacter(string code)
    {
        var chars = code.ToCharArray();
        var at = chars.Length - 6;
        while (chars[at] == '0')
        {
            at--;
        }
        chars[at] = '0';
        return new string(chars);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task EachFact_AndEachVerdict_AreAnswered(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var p = await world.ResidentsAsync(10);
        var now = world.Clock.GetUtcNow();
        // Negative results for 0..4 and 8 (one tube), a pending sample for 5, an invalid one for 6, nothing for 7.
        await world.SampleAsync([p[0], p[1], p[2], p[3], p[4], p[8]], "negative");
        await world.SampleAsync([p[5]], null);
        await world.SampleAsync([p[6]], "invalid");
        await world.ColourAsync(p[1], "yellow", now, "密接的密接");
        await world.ColourAsync(p[2], "红", now, "密切接触者");
        var doses = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/checkpoint/vaccinations", new object[]
        {
            new { idNumber = p[0], dose = 1, date = "2021-04-01" },
            new { idNumber = p[0], dose = 2, date = "2021-05-01" },
            new { idNumber = p[0], dose = 3, date = "2021-11-20" },
        }));
        Assert.All(doses.EnumerateArray(), d => Assert.True(d.GetProperty("accepted").GetBoolean(), d.ToString()));
        var area = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/checkpoint/risk-areas",
            new { division = 130109000000, level = "high", startsAt = now.AddDays(-10) }));
        var arrivals = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/checkpoint/arrivals", new[]
        {
            new { idNumber = p[3], from = 130109100001, arrivedAt = now.AddDays(-2).ToUnixTimeMilliseconds() },
            new { idNumber = p[8], from = 130102000000, arrivedAt = now.AddDays(-1).ToUnixTimeMilliseconds() },
        }));
        Assert.All(arrivals.EnumerateArray(), a => Assert.True(a.GetProperty("accepted").GetBoolean(), a.ToString()));

        // Four facts for person 0: green, negative 0 h ago, three doses, no travel.
        var pass = await world.AnswerAsync("event", p[0]);
        Assert.Equal((Verdicts.Pass, Prompts.Pass, "绿码通行"), (Verdict(pass), Prompt(pass), pass.GetProperty("prompt").GetString()));
        Assert.Equal("green", Fact(pass, "colour").GetProperty("value").GetString());
        Assert.Equal("negative", Fact(pass, "nucleicAcid").GetProperty("state").GetString());
        Assert.Equal(0, Fact(pass, "nucleicAcid").GetProperty("hours").GetDouble());
        Assert.True(Fact(pass, "nucleicAcid").GetProperty("withinWindow").GetBoolean());
        Assert.Equal(48, Fact(pass, "nucleicAcid").GetProperty("windowHours").GetInt32());
        Assert.Equal(3, Fact(pass, "vaccination").GetProperty("doses").GetInt32());
        Assert.Equal(new DateTimeOffset(2021, 11, 20, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(), Fact(pass, "vaccination").GetProperty("lastDoseAt").GetInt64());
        Assert.False(Fact(pass, "travel").GetProperty("fromRiskArea").GetBoolean());
        Assert.Equal("default-1", pass.GetProperty("ruleVersion").GetString());
        Assert.Equal("青县体育馆", pass.GetProperty("place").GetProperty("name").GetString());
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(), pass.GetProperty("checkedAt").GetInt64());

        var yellow = await world.AnswerAsync("mall", p[1]);
        Assert.Equal((Verdicts.Check, Prompts.NotGreen), (Verdict(yellow), Prompt(yellow)));
        Assert.Equal(("yellow", "密接的密接"), (Fact(yellow, "colour").GetProperty("value").GetString(), Fact(yellow, "colour").GetProperty("reason").GetString()));
        Assert.Equal(now.ToUnixTimeMilliseconds() / 1000, Fact(yellow, "colour").GetProperty("since").GetInt64() / 1000);

        var red = await world.AnswerAsync("mall", p[2]);
        Assert.Equal((Verdicts.Check, Prompts.RedCode), (Verdict(red), Prompt(red)));

        var travelled = await world.AnswerAsync("mall", p[3]);
        Assert.Equal((Verdicts.Check, Prompts.RiskArea), (Verdict(travelled), Prompt(travelled)));
        Assert.True(Fact(travelled, "travel").GetProperty("fromRiskArea").GetBoolean());
        Assert.Equal("high", Fact(travelled, "travel").GetProperty("level").GetString());
        Assert.Contains("藁城区", Fact(travelled, "travel").GetProperty("area").GetString(), StringComparison.Ordinal);

        var unvaccinated = await world.AnswerAsync("event", p[4]);
        Assert.Equal((Verdicts.VaccinationRequired, Prompts.VaccinationRequired), (Verdict(unvaccinated), Prompt(unvaccinated)));
        Assert.Equal(2, Fact(unvaccinated, "vaccination").GetProperty("requiredDoses").GetInt32());
        Assert.Equal(Verdicts.Pass, Verdict(await world.AnswerAsync("mall", p[4])));

        var pending = await world.AnswerAsync("mall", p[5]);
        Assert.Equal((Verdicts.ResultPending, Prompts.ResultPending, "pending"), (Verdict(pending), Prompt(pending), Fact(pending, "nucleicAcid").GetProperty("state").GetString()));

        var invalid = await world.AnswerAsync("mall", p[6]);
        Assert.Equal((Verdicts.ResultInvalid, Prompts.ResultInvalid), (Verdict(invalid), Prompt(invalid)));

        var none = await world.AnswerAsync("mall", p[7]);
        Assert.Equal((Verdicts.NoResult, Prompts.NoResult, "none"), (Verdict(none), Prompt(none), Fact(none, "nucleicAcid").GetProperty("state").GetString()));

        // An arrival from elsewhere is a fact, not a stop.
        var elsewhere = await world.AnswerAsync("mall", p[8]);
        Assert.Equal(Verdicts.Pass, Verdict(elsewhere));
        Assert.False(Fact(elsewhere, "travel").GetProperty("fromRiskArea").GetBoolean());
        Assert.Contains("长安区", Fact(elsewhere, "travel").GetProperty("area").GetString(), StringComparison.Ordinal);

        // Lifting the risk area later does not clear someone who was there while it held.
        await CheckpointWorld.Ok(await world.City.PostAsJsonAsync($"/api/v1/checkpoint/risk-areas/{area.GetProperty("id").GetInt64()}/end", new { endsAt = now.AddDays(-1) }));
        Assert.Equal(Prompts.RiskArea, Prompt(await world.AnswerAsync("mall", p[3])));

        world.Clock.Advance(TimeSpan.FromHours(73));
        var timedOut = await world.AnswerAsync("mall", p[8]);
        Assert.Equal((Verdicts.ResultTimedOut, Prompts.ResultTimedOut, "你的核酸结果已超时"), (Verdict(timedOut), Prompt(timedOut), timedOut.GetProperty("prompt").GetString()));
        Assert.False(Fact(timedOut, "nucleicAcid").GetProperty("withinWindow").GetBoolean());
        Assert.Equal(73, Fact(timedOut, "nucleicAcid").GetProperty("hours").GetDouble());

        var unknown = await world.AnswerAsync("mall", People.NewId());
        Assert.Equal((Verdicts.NotFound, Prompts.NotFound, "查无此人，请人工核查"), (Verdict(unknown), Prompt(unknown), unknown.GetProperty("prompt").GetString()));
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("facts").ValueKind);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task WindowEdge_47h59mPassesA48hPlace_48h01mDoesNot(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var person = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([person], "negative");

        world.Clock.Advance(TimeSpan.FromHours(47) + TimeSpan.FromMinutes(59));
        var inside = await world.AnswerAsync("transport", person);
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var outside = await world.AnswerAsync("transport", person);

        Assert.Equal(Verdicts.Pass, Verdict(inside));
        Assert.True(Fact(inside, "nucleicAcid").GetProperty("withinWindow").GetBoolean());
        Assert.Equal(Verdicts.ResultTimedOut, Verdict(outside));
        Assert.Equal("你的核酸结果已超时", outside.GetProperty("prompt").GetString());
        Assert.Equal(48, Fact(outside, "nucleicAcid").GetProperty("windowHours").GetInt32());
        // The same result still passes a 72-hour place.
        Assert.Equal(Verdicts.Pass, Verdict(await world.AnswerAsync("mall", person)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task LocalPositive_MakesTheColourWorse_AndTheFeedNeverBetter(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var p = await world.ResidentsAsync(3);
        var now = world.Clock.GetUtcNow();
        await world.ColourAsync(p[0], "green", now.AddHours(-1));
        await world.SampleAsync([p[0]], "positive");
        await world.SampleAsync([p[1], p[2]], "positive");   // a mixed tube: both mixed-positive

        var positive = await world.AnswerAsync("mall", p[0]);
        // A newer green from the feed does not lift a local positive.
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var saved = await world.ColourAsync(p[0], "green", world.Clock.GetUtcNow(), "省平台转绿");
        var stillRed = await world.AnswerAsync("mall", p[0]);
        var mixed = await world.AnswerAsync("mall", p[1]);

        Assert.Equal(("red", "nucleic_acid"), (Fact(positive, "colour").GetProperty("value").GetString(), Fact(positive, "colour").GetProperty("source").GetString()));
        Assert.Equal("核酸检测阳性", Fact(positive, "colour").GetProperty("reason").GetString());
        // Red because of a result, the door says which result: a positive, or a mixed tube awaiting its retest.
        Assert.Equal((Verdicts.Check, Prompts.Positive), (Verdict(positive), Prompt(positive)));
        Assert.Equal((Verdicts.Check, Prompts.MixedPositive), (Verdict(mixed), Prompt(mixed)));
        Assert.True(saved.GetProperty("applied").GetBoolean());
        Assert.Equal("red", Fact(stillRed, "colour").GetProperty("value").GetString());
        Assert.Equal(("red", "mixed_positive"), (Fact(mixed, "colour").GetProperty("value").GetString(), Fact(mixed, "nucleicAcid").GetProperty("state").GetString()));

        // The feed's own order holds too: a change older than the one held is kept but not applied.
        await world.ColourAsync(p[2], "yellow", world.Clock.GetUtcNow());
        var older = await world.ColourAsync(p[2], "green", world.Clock.GetUtcNow().AddHours(-3));
        Assert.False(older.GetProperty("applied").GetBoolean());
        Assert.Equal("red", Fact(await world.AnswerAsync("mall", p[2]), "colour").GetProperty("value").GetString());

        // Until a single-tube retest comes back negative: then the feed's colour is the door's again.
        await world.SampleAsync([p[1]], "negative");
        var cleared = await world.AnswerAsync("mall", p[1]);
        Assert.Equal(("green", Verdicts.Pass), (Fact(cleared, "colour").GetProperty("value").GetString(), Verdict(cleared)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AHealthCodeColour_IsTakenWhenWorse_AndNamesSomeoneTheRegistryHasNotMet(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var known = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([known], "negative");
        var hb1 = world.App.Get<Hb1HealthCodes>();
        var stranger = People.NewId(region: 130102);

        var yellowCode = await world.AnswerAsync("mall", hb1.Issue(hb1.FirstKeyId, DocTypes.ResidentId, known, "居民0", HealthColour.Yellow, world.Clock.GetUtcNow(), TimeSpan.FromMinutes(3)));
        var visitor = await world.AnswerAsync("mall", hb1.Issue(hb1.FirstKeyId, DocTypes.ResidentId, stranger, "欧阳修", HealthColour.Green, world.Clock.GetUtcNow(), TimeSpan.FromMinutes(3)));

        Assert.Equal(("yellow", "health_code", Verdicts.Check), (Fact(yellowCode, "colour").GetProperty("value").GetString(), Fact(yellowCode, "colour").GetProperty("source").GetString(), Verdict(yellowCode)));
        Assert.Equal(("欧*修", IdNumber.Mask(stranger)), (visitor.GetProperty("person").GetProperty("name").GetString(), visitor.GetProperty("person").GetProperty("idMasked").GetString()));
        Assert.Equal(Verdicts.NoResult, Verdict(visitor));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ATakenBackSample_IsRebuiltFromTheStore(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var p = await world.ResidentsAsync(2);
        await world.SampleAsync([p[0]], "negative");
        world.Clock.Advance(TimeSpan.FromHours(1));
        var tube = await world.SampleAsync([p[0], p[1]], null);
        Assert.Equal("pending", Fact(await world.AnswerAsync("mall", p[1]), "nucleicAcid").GetProperty("state").GetString());

        Assert.Equal(200, (await world.Sampling.ActAsync(world.Sampling.Sampler, "sample.remove_last", new { tube })).Status);
        Assert.Equal(200, (await world.Sampling.ActAsync(world.Sampling.Sampler, "sample.remove_last", new { tube })).Status);
        await world.App.Get<StatusIndexHost>().CatchUpAsync();

        Assert.Equal("none", Fact(await world.AnswerAsync("mall", p[1]), "nucleicAcid").GetProperty("state").GetString());
        var earlier = await world.AnswerAsync("mall", p[0]);
        Assert.Equal(("negative", Verdicts.Pass), (Fact(earlier, "nucleicAcid").GetProperty("state").GetString(), Verdict(earlier)));
        Assert.Equal(1, Fact(earlier, "nucleicAcid").GetProperty("hours").GetDouble());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task VaccinationsAndCards_ImportFromASheet_ReportingBadRows(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var p = await world.ResidentsAsync(2);
        var csv = $"证件号码,剂次,接种日期,疫苗名称\n{p[0]},1,2021-05-01,灭活疫苗\n{p[0]},2,2021-06-01,灭活疫苗\n{p[1]},0,2021-06-01,灭活疫苗\n{People.NewId()},1,2021-06-01,灭活疫苗\n{p[1]},1,明天,灭活疫苗\n";
        using var formPart = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        using var form = new MultipartFormDataContent { { formPart, "file", "doses.csv" } };
        var rows = await CheckpointWorld.Ok(await world.City.PostAsync("/api/v1/checkpoint/vaccinations/import", form));
        var cards = $"证件号码,社保卡号\n{p[1]},C11112222\n{p[0]},1234\n";
        using var cardFormPart = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(cards));
        using var cardForm = new MultipartFormDataContent { { cardFormPart, "file", "cards.csv" } };
        var cardRows = await CheckpointWorld.Ok(await world.City.PostAsync("/api/v1/checkpoint/social-security/import", cardForm));

        Assert.Equal([true, true, false, false, false], rows.EnumerateArray().Select(r => r.GetProperty("accepted").GetBoolean()).ToArray());
        Assert.Equal([2, 3, 4, 5, 6], rows.EnumerateArray().Select(r => r.GetProperty("row").GetInt32()).ToArray());
        Assert.Equal(["vaccination.dose_invalid", "person.unknown", "date.invalid"], rows.EnumerateArray().Skip(2).Select(r => r.GetProperty("code").GetString()!).ToArray());
        Assert.Equal(2, Fact(await world.AnswerAsync("mall", p[0]), "vaccination").GetProperty("doses").GetInt32());
        Assert.Equal([true, false], cardRows.EnumerateArray().Select(r => r.GetProperty("accepted").GetBoolean()).ToArray());
        Assert.Equal(InputKinds.SocialSecurity, (await world.AnswerAsync("mall", "C11112222")).GetProperty("inputKind").GetString());
        Assert.Equal(IdNumber.Mask(p[1]), (await world.AnswerAsync("mall", "C11112222")).GetProperty("person").GetProperty("idMasked").GetString());
    }
}
