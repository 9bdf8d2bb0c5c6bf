namespace Fangyi.Core.Http;

/// <summary>The media types of the files the API hands out, as the OpenAPI document names them.</summary>
public static class MediaTypes
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Csv = "text/csv";
    public const string Pdf = "application/pdf";
    public const string Html = "text/html";
}
