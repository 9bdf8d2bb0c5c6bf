using Fangyi.Core.Jurisdiction;
using System.Globalization;
using Fangyi.Core.Identity;

namespace Fangyi.Features.Residents;

public static class ResidentRules
{
    public const string RegisteredTag = "户籍";
    public const string FloatingTag = "流动";

    public static readonly char[] TagSeparators = [',', '，', ';', '；', '、', '|'];

    public static bool? ParseRegistered(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "户籍" or "户籍人口" or "registered" or "1" or "true" or "是" => true,
        "流动" or "流动人口" or "floating" or "0" or "false" or "否" => false,
        _ => throw new FormatException(),
    };

    public static IReadOnlyList<string> ParseTags(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => t.Length <= 20).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Checks one resident: the identity number (GB 11643 for resident ID cards, with its region known and birth
    /// date real), the name, the phone and the residence, which must be a village or community inside
    /// <paramref name="scope"/>. Returns every fault, or the resident protected for storage.
    /// </summary>
    public static (PreparedResident? Resident, List<FieldError> Errors) Prepare(ResidentInput input, DivisionTree divisions, KeyRing keys, Core.Jurisdiction.Scope scope, DateOnly today)
    {
        var errors = new List<FieldError>();
        var docType = DocTypes.Parse(input.DocType);
        var number = IdNumber.Normalize(input.IdNumber ?? "");
        if (docType is null)
        {
            errors.Add(new FieldError("doc_type", "doc_type_unknown", "证件类型不支持"));
        }
        else
        {
            var idError = docType == DocTypes.ResidentId ? IdNumber.Validate(number, divisions.RegionExists, today) : IdNumber.ValidateOther(number);
            if (idError != IdError.None)
            {
                errors.Add(new FieldError("id_number", IdNumber.Code(idError), IdNumber.Message(idError)));
            }
        }

        var name = (input.Name ?? "").Trim();
        if (name.Length == 0 || name.Length > 50)
        {
            errors.Add(new FieldError("name", "name_invalid", name.Length == 0 ? "姓名不能为空" : "姓名过长"));
        }

        var phone = Phone.Normalize(input.Phone ?? "");
        if (phone.Length > 0 && !Phone.IsValid(phone))
        {
            errors.Add(new FieldError("phone", "phone_invalid", "手机号码格式不正确"));
        }

        long division = 0;
        if (!long.TryParse((input.Division ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out division) || divisions.Find(division) is not { } place)
        {
            errors.Add(new FieldError("division", "division_unknown", "居住地区划代码不存在"));
        }
        else if (place.Level != DivisionLevel.Village)
        {
            errors.Add(new FieldError("division", "division_not_village", "居住地须填写到村（社区）"));
        }
        else if (!scope.Contains(division))
        {
            errors.Add(new FieldError("division", "outside_jurisdiction", "居住地不在您的管辖范围内"));
        }

        bool? registered = null;
        try
        {
            registered = ParseRegistered(input.Registered);
        }
        catch (FormatException)
        {
            errors.Add(new FieldError("registered", "registered_invalid", "户籍类型应为“户籍”或“流动”"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var key = keys.Active;
        var isResidentId = docType == DocTypes.ResidentId;
        var hash = KeyRing.Hash(key, docType!, number);
        return (new PreparedResident(
            docType!,
            hash,
            keys.LookupHashes(docType!, number, key, hash),
            KeyRing.Encrypt(key, number, KeyRing.Binding(Fields.IdNumber, hash)),
            IdNumber.Mask(number),
            key.Id,
            name,
            isResidentId ? IdNumber.Gender(number) : null,
            phone.Length > 0 ? ProtectPhone(key, hash, phone).Hash : null,
            phone.Length > 0 ? ProtectPhone(key, hash, phone).Cipher : null,
            phone.Length > 0 ? Phone.Mask(phone) : null,
            division,
            registered,
            ParseTags(input.Tags)), errors);
    }

    /// <summary>A normalized, valid phone number as the registry keeps it: its keyed hash, and its ciphertext bound to the person's identity hash.</summary>
    public static (byte[] Hash, byte[] Cipher) ProtectPhone(IdentityKey key, byte[] idHash, string phone) =>
        (KeyRing.Hash(key, "phone", phone), KeyRing.Encrypt(key, phone, KeyRing.Binding(Fields.Phone, idHash)));

    /// <summary>Shown instead of a full name on lists: 张*三, 李* (the rule is core's, <see cref="Masks.Name(string)"/>, which the door shows too).</summary>
    public static string MaskName(string name) => Masks.Name(name);
}
