// One chart of the album: Apache ECharts with only the pieces the album draws (bars, lines, grid, tooltip,
// legend, the aria description), on a canvas; a click on a bar or a point opens the findings it counts. A PNG
// of the chart is kept beside it: the download, and what a printout shows (a canvas does not reflow on paper).
import { BarChart, LineChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef, useState } from 'react'
import { navigate } from '../../router.ts'
import type { ChartSpec } from './album.ts'

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

declare global {
  interface Window {
    /** the option a chart draws, for the end-to-end tests (test/e2e/console-reports.test.ts) */
    sverkaChartOption?: (element: Element) => unknown
  }
}
window.sverkaChartOption = (element) => echarts.getInstanceByDom(element as HTMLElement)?.getOption()

const numbers = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 })

/** The ECharts option of a chart spec: the spec's numbers as they are, a link per point kept in the data item. */
export function chartOption(spec: ChartSpec): echarts.EChartsCoreOption {
  const categoryAxis = {
    type: 'category', data: spec.categories, inverse: spec.horizontal ?? false,
    axisLabel: spec.horizontal ? { width: 260, overflow: 'truncate' } : { hideOverlap: true },
  }
  const valueAxis = {
    type: 'value', name: spec.unit, nameLocation: 'middle', nameGap: spec.horizontal ? 24 : 36,
    minInterval: spec.unit === '%' || spec.unit === 'ч' ? undefined : 1,
  }
  return {
    animation: false,
    aria: { enabled: true, label: { description: spec.label } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => typeof v === 'number' ? numbers.format(v) : '—' },
    // one series: its name is the axis' and the heading's; a legend would only repeat it (in a colour its bars may not have)
    legend: { show: spec.series.length > 1, top: 0, type: 'plain' },
    grid: { left: spec.horizontal ? 8 : 28, right: 24, top: spec.series.length > 1 ? 36 : 12, bottom: spec.horizontal ? 24 : 8, containLabel: true },
    xAxis: spec.horizontal ? valueAxis : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : { ...valueAxis, ...(spec.unit === '%' ? { max: 100 } : {}) },
    series: spec.series.map((s) => ({
      type: spec.kind,
      name: s.name,
      stack: s.stack,
      color: s.color,
      connectNulls: spec.kind === 'line' ? true : undefined,
      symbolSize: 7,
      barMaxWidth: 28,
      data: s.data.map((value, i) => ({
        value,
        link: s.links?.[i] ?? null,
        ...(s.colors?.[i] ? { itemStyle: { color: s.colors[i] } } : {}),
      })),
    })),
  }
}

/** Height for a chart: bars along the vertical axis need room per category. */
export function chartHeight(spec: ChartSpec): number {
  return spec.horizontal ? Math.max(160, 70 + spec.categories.length * (spec.series.length > 2 && !spec.series[0].stack ? 40 : 26)) : 300
}

export function Chart({ spec, id, onImage }: { spec: ChartSpec; id: string; onImage?: (png: string | null) => void }) {
  const box = useRef<HTMLDivElement>(null)
  const [image, setImage] = useState<string | null>(null)
  const told = useRef(onImage)
  useEffect(() => { told.current = onImage }, [onImage])
  const height = chartHeight(spec)

  useEffect(() => {
    const element = box.current
    if (!element) return
    const chart = echarts.init(element, null, { renderer: 'canvas', locale: 'EN' })
    chart.on('click', (params) => {
      const link = (params.data as { link?: string | null } | undefined)?.link
      if (link) navigate(link)
    })
    // hidden (printing, where the picture stands in for it): neither redrawn at no size nor pictured so
    const shown = () => element.clientWidth > 0 && element.clientHeight > 0
    const snapshot = () => {
      if (!shown()) return
      const png = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' })
      setImage(png)
      told.current?.(png)
    }
    chart.on('finished', snapshot)
    const resize = new ResizeObserver(() => { if (shown()) chart.resize() })
    resize.observe(element)
    return () => { resize.disconnect(); chart.dispose() }
  }, [])

  useEffect(() => {
    const chart = box.current && echarts.getInstanceByDom(box.current)
    if (chart) chart.setOption(chartOption(spec), { notMerge: true })
  }, [spec])

  return (
    <figure className="chart">
      <div ref={box} id={id} className="chart-canvas" data-chart="" role="img" aria-label={spec.label} style={{ height }} />
      {image && <img className="chart-print" src={image} alt={spec.label} />}
    </figure>
  )
}
