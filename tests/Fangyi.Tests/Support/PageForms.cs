using System.Text.RegularExpressions;

namespace Fangyi.Tests.Support;

/// <summary>Posts a page's form as a browser would: its antiforgery field and cookie from a GET of the page first.</summary>
public static partial class PageForms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, IDictionary<string, string> fields)
    {
        var form = await client.GetAsync(page);
        var token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"no antiforgery field on {page}");
        using var post = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value }),
        };
        if (form.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        }
        return await client.SendAsync(post);
    }

    /// <summary>The page a successful post answers with, its entities decoded.</summary>
    public static async Task<string> PostForPageAsync(HttpClient client, string page, string action, IDictionary<string, string> fields)
    {
        var answer = await PostAsync(client, page, action, fields);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, text);
        return System.Net.WebUtility.HtmlDecode(text);
    }
}
