using Fangyi.Core.Jurisdiction;
using System.Collections.Concurrent;
using Fangyi.Core.Codes;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Checkpoint;

// Reads what a checkpoint device sent — a resident ID number (typed, or from a card reader acting as a keyboard),
// a citizen code (FY1:), a provincial health code (by its decoder's prefix) or a social-security card number — and
// finds the person in the status index. Codes are verified (a citizen code cryptographically only the first time
// its exact text is seen); bad input is refused with a stable code.
public sealed class CheckInputReader(StatusIndex index, SignedCodes codes, IEnumerable<IHealthCodeDecoder> decoders, DivisionDirectory divisions, ResidentStatus residents, TimeProvider clock)
{
    private readonly IHealthCodeDecoder[] _decoders = decoders.ToArray();
    private readonly ConcurrentDictionary<string, long> _unknownSubjects = new(StringComparer.Ordinal);

    // Letters and digits of a social-security card number as printed on the card: one letter and eight digits.
    public static bool LooksLikeCard(string text) => text.Length == 9 && char.IsAsciiLetterUpper(text[0]) && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static readonly string[] OtherDocuments = [DocTypes.Passport, DocTypes.HkMacauPermit, DocTypes.TaiwanPermit, DocTypes.ForeignPermanent];

    public ValueTask<ReadPerson> ReadAsync(string? raw, CancellationToken ct)
    {
        var text = Clean(raw);
        if (text.Length == 0)
        {
            return ValueTask.FromResult(ReadPerson.Refused("", CheckpointProblems.InputMissing, Prompts.Rescan));
        }
        if (text.Length > 2048)
        {
            return ValueTask.FromResult(ReadPerson.Refused("", CheckpointProblems.InputUnrecognised, Prompts.Rescan));
        }
        if (text.StartsWith(SignedCodes.Prefix, StringComparison.Ordinal))
        {
            return CitizenCodeAsync(text, ct);
        }
        foreach (var decoder in _decoders)
        {
            if (text.StartsWith(decoder.Prefix, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(HealthCode(decoder, text));
            }
        }
        return ValueTask.FromResult(Typed(IdNumber.Normalize(text)));
    }

    // Drops what scanners and card readers add around the text: line ends, tabs, a byte-order mark.
    private static string Clean(string? raw) => raw is null ? "" : raw.Trim().Trim('\uFEFF', '\r', '\n', '\t', '\0');

    private ReadPerson Typed(string text)
    {
        if (text.Length == 18 && text.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            var error = IdNumber.Validate(text, divisions.Tree.RegionExists, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
            if (error != IdError.None)
            {
                return ReadPerson.Refused(InputKinds.IdNumber, CheckpointProblems.IdNumberInvalid.WithDetail(IdNumber.Message(error)), Prompts.IdInvalid);
            }
            return new ReadPerson(InputKinds.IdNumber, index.FindByIdentity(DocTypes.ResidentId, text), IdNumber.Mask(text), null, null, null);
        }
        if (text.Length is >= 15 and <= 19 && text.AsSpan(0, text.Length - 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            // A number about as long as an ID number: one typed with a digit too many or too few.
            return ReadPerson.Refused(InputKinds.IdNumber, CheckpointProblems.IdNumberInvalid.WithDetail(IdNumber.Message(IdError.Length)), Prompts.IdInvalid);
        }
        if (IdNumber.ValidateOther(text) != IdError.None || text.AsSpan().IndexOfAnyInRange('A', 'Z') < 0)
        {
            return ReadPerson.Refused("", CheckpointProblems.InputUnrecognised, Prompts.Rescan);
        }
        // Letters and digits: a social-security card, or a passport or permit number typed by hand.
        var slot = LooksLikeCard(text) ? index.FindBySocialSecurity(text) : -1;
        if (slot >= 0)
        {
            return new ReadPerson(InputKinds.SocialSecurity, slot, "", null, null, null);
        }
        foreach (var docType in OtherDocuments)
        {
            slot = index.FindByIdentity(docType, text);
            if (slot >= 0)
            {
                return new ReadPerson(InputKinds.Document, slot, IdNumber.Mask(text), null, null, null);
            }
        }
        return new ReadPerson(LooksLikeCard(text) ? InputKinds.SocialSecurity : InputKinds.Document, -1, IdNumber.Mask(text), null, null, null);
    }

    private async ValueTask<ReadPerson> CitizenCodeAsync(string text, CancellationToken ct)
    {
        var (error, claims) = codes.Verify(text);
        if (error != CodeError.None)
        {
            var (problem, prompt) = error switch
            {
                CodeError.Expired => (CheckpointProblems.CodeExpired, Prompts.CodeExpired),
                CodeError.NotYetValid => (CheckpointProblems.CodeNotYetValid, Prompts.CodeInvalid),
                CodeError.Revoked => (CheckpointProblems.CodeRevoked, Prompts.CodeInvalid),
                CodeError.Signature => (CheckpointProblems.CodeSignatureInvalid.WithDetail("签名不符：二维码被改动或伪造"), Prompts.CodeInvalid),
                CodeError.UnknownKey => (CheckpointProblems.CodeSignatureInvalid.WithDetail("签名密钥不是本平台的"), Prompts.CodeInvalid),
                CodeError.KeyRetired => (CheckpointProblems.CodeKeyRetired, Prompts.CodeInvalid),
                _ => (CheckpointProblems.CodeMalformed, Prompts.Rescan),
            };
            return ReadPerson.Refused(InputKinds.CitizenCode, problem, prompt);
        }
        if (claims!.Kind != CodeKind.Citizen)
        {
            return ReadPerson.Refused(InputKinds.CitizenCode, CheckpointProblems.CodeWrongKind, Prompts.CodeInvalid);
        }
        var slot = index.FindBySubject(claims.Subject);
        if (slot < 0 && await KnownElsewhereAsync(claims.Subject, ct))
        {
            slot = index.FindBySubject(claims.Subject);
        }
        return new ReadPerson(InputKinds.CitizenCode, slot, "", null, null, null);
    }

    // A genuine code whose subject this host has not met (issued by another host since this one started) is looked
    // up in the store once; a subject the store does not have either is not asked about again for a minute.
    private async ValueTask<bool> KnownElsewhereAsync(byte[] subject, CancellationToken ct)
    {
        var key = Convert.ToBase64String(subject);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_unknownSubjects.TryGetValue(key, out var until) && until > now)
        {
            return false;
        }
        if (await residents.LoadSubjectAsync(subject, ct))
        {
            return true;
        }
        if (_unknownSubjects.Count > 100_000)
        {
            _unknownSubjects.Clear();
        }
        _unknownSubjects[key] = now + 60_000;
        return false;
    }

    private ReadPerson HealthCode(IHealthCodeDecoder decoder, string text)
    {
        var (error, claims) = decoder.Decode(text, clock.GetUtcNow());
        if (error != HealthCodeError.None)
        {
            var (problem, prompt) = error switch
            {
                HealthCodeError.Expired => (CheckpointProblems.CodeExpired, Prompts.CodeExpired),
                HealthCodeError.NotYetValid => (CheckpointProblems.CodeNotYetValid, Prompts.CodeInvalid),
                HealthCodeError.Signature => (CheckpointProblems.CodeSignatureInvalid.WithDetail($"{decoder.Province}健康码签名不符"), Prompts.CodeInvalid),
                _ => (CheckpointProblems.CodeMalformed, Prompts.Rescan),
            };
            return ReadPerson.Refused(InputKinds.HealthCode, problem, prompt);
        }
        var number = IdNumber.Normalize(claims!.IdNumber);
        return new ReadPerson(InputKinds.HealthCode, index.FindByIdentity(claims.DocType, number), IdNumber.Mask(number), claims, null, null);
    }
}
