using MudBlazor;

namespace TurnoDigital.Web.Components.Layout;

public static class Themes
{
    public static readonly MudTheme Staff = new()
    {
        PaletteLight = new PaletteLight { Primary = "#0b3d91", Secondary = "#00695c", AppbarBackground = "#0b3d91" },
    };
}
