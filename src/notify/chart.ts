// The score trend as a picture for the album's e-mail, drawn on the server with no browser: ECharts renders
// the chart to an SVG string (its server-side mode), resvg turns the SVG into a PNG. The text is set in PT Sans
// from its npm package, the only font resvg is given (system fonts are not loaded): Cyrillic everywhere, and
// the same image on every machine.
import { createRequire } from 'node:module'

export interface TrendSeries {
  name: string
  /** per label, in per cent; null: no score in that period (a gap in the line) */
  values: Array<number | null>
}

export interface TrendChart {
  title: string
  /** one per period, oldest first */
  labels: string[]
  /** the first is drawn bold (the total) */
  series: TrendSeries[]
  /** CSS pixels; the PNG has `scale` times as many */
  width?: number
  height?: number
  scale?: number
}

export const FONT_FAMILY = 'PT Sans'

const require = createRequire(import.meta.url)

/** The PT Sans files shipped by @expo-google-fonts/pt-sans, found through the module resolver. */
export function fontFiles(): string[] {
  return ['400Regular/PTSans_400Regular.ttf', '700Bold/PTSans_700Bold.ttf'].map((f) => require.resolve(`@expo-google-fonts/pt-sans/${f}`))
}

/** Line colours: the total dark, the markets in distinct hues readable on white. */
const COLOURS = ['#1f2937', '#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9333ea']

/** The chart as an SVG document (ECharts server-side rendering, no DOM). */
export async function trendSvg(chart: TrendChart): Promise<string> {
  const echarts = await import('echarts')
  const width = chart.width ?? 720
  const height = chart.height ?? 320
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    instance.setOption({
      animation: false,
      color: COLOURS,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: chart.title, left: 'center', top: 6, textStyle: { fontSize: 15, fontWeight: 'bold', fontFamily: FONT_FAMILY } },
      legend: { bottom: 4, textStyle: { fontFamily: FONT_FAMILY } },
      grid: { left: 48, right: 24, top: 44, bottom: 56 },
      xAxis: { type: 'category', data: chart.labels, boundaryGap: false, axisLabel: { fontFamily: FONT_FAMILY, interval: 0 } },
      yAxis: { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10), max: 100, axisLabel: { formatter: '{value} %', fontFamily: FONT_FAMILY } },
      series: chart.series.map((s, i) => ({
        type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: i === 0 ? 7 : 5,
        lineStyle: { width: i === 0 ? 3 : 1.5 },
        ...(i === 0 ? { label: { show: true, position: 'top', fontFamily: FONT_FAMILY, formatter: (p: { value: number | null }) => (p.value == null ? '' : p.value.toFixed(1).replace('.', ',')) } } : {}),
      })),
    })
    return instance.renderToSVGString()
  } finally {
    instance.dispose()
  }
}

/** The chart as a PNG: the SVG rasterised by resvg with PT Sans only. */
export async function trendPng(chart: TrendChart): Promise<Buffer> {
  const svg = await trendSvg(chart)
  const { Resvg } = await import('@resvg/resvg-js')
  const png = new Resvg(svg, {
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: chart.scale ?? 2 },
    background: '#ffffff',
  }).render().asPng()
  return Buffer.from(png)
}
