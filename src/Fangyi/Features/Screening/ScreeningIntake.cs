using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Screening;

/// <summary>
/// Turns a source's row into a <see cref="Finding"/>: the ID number checked (check character, region, birth date) and
/// replaced by its look-up hashes under every live key and a ciphertext bound to the hash, the phone likewise, a name
/// and an address trimmed. A row that names nobody (neither a number, a phone, nor a name with an address) is refused
/// with the column and the reason, for the per-row report.
/// </summary>
public sealed class ScreeningIntake(KeyRing keys, DivisionDirectory divisions, TimeProvider clock)
{
    public sealed record Prepared(Finding? Finding, string? Column, string? Reason);

    public Prepared Prepare(PersonRow row, string source, string reference, string reason, long at, bool high = false, string? payload = null)
    {
        var number = string.IsNullOrWhiteSpace(row.IdNumber) ? null : IdNumber.Normalize(row.IdNumber);
        var phone = string.IsNullOrWhiteSpace(row.Phone) ? null : Core.Identity.Phone.Normalize(row.Phone);
        var name = row.Name?.Trim() is { Length: > 0 } n ? n : null;
        var address = row.Address?.Trim() is { Length: > 0 } a ? a : null;
        if (number is not null)
        {
            var error = IdNumber.Validate(number, divisions.Tree.RegionExists, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
            if (error != IdError.None)
            {
                return new Prepared(null, "身份证号", IdNumber.Message(error));
            }
        }
        if (phone is not null && !Core.Identity.Phone.IsValid(phone))
        {
            return new Prepared(null, "手机号", "手机号格式不正确");
        }
        if (number is null && phone is null && (name is null || address is null))
        {
            return new Prepared(null, "身份证号", "须有身份证号或手机号，或姓名和地址");
        }
        if (name is { Length: > 50 } || address is { Length: > 200 })
        {
            return new Prepared(null, name is { Length: > 50 } ? "姓名" : "地址", name is { Length: > 50 } ? "姓名过长（50字以内）" : "地址过长（200字以内）");
        }
        var active = keys.Active;
        var live = keys.All.Where(k => !k.Retired && k.Id != active.Id).ToList();
        byte[][] idHashes = number is null ? [] : [KeyRing.Hash(active, DocTypes.ResidentId, number), .. live.Select(k => KeyRing.Hash(k, DocTypes.ResidentId, number))];
        byte[][] phoneHashes = phone is null ? [] : [KeyRing.Hash(active, "phone", phone), .. live.Select(k => KeyRing.Hash(k, "phone", phone))];
        var binding = idHashes.Length > 0 ? idHashes[0] : phoneHashes.Length > 0 ? phoneHashes[0] : [];
        return new Prepared(new Finding
        {
            Source = source,
            Ref = reference,
            Reason = reason,
            At = at,
            High = high,
            IdHashes = idHashes,
            IdCipher = number is null ? null : KeyRing.Encrypt(active, number, KeyRing.Binding("id", binding)),
            IdMasked = number is null ? null : IdNumber.Mask(number),
            PhoneHashes = phoneHashes,
            PhoneCipher = phone is null ? null : KeyRing.Encrypt(active, phone, KeyRing.Binding("phone", binding)),
            PhoneMasked = phone is null ? null : Core.Identity.Phone.Mask(phone),
            KeyId = active.Id,
            Name = name,
            Address = address,
            Payload = payload,
        }, null, null);
    }
}
