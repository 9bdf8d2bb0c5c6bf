using System.Globalization;
using System.Net;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fangyi.Core.Printing;

internal abstract record Mark;
