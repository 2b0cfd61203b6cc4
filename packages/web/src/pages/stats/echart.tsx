/**
 * ECharts through `echarts/core` with only what the dashboard draws registered, so the
 * chunk stays small: bar, line and pie charts; grid, tooltip, legend and the aria
 * component (a generated text description of each chart for screen readers); canvas.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useDisplayMode } from '../../shell/display-mode';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

export function EChart({ option, height = 320, label, testId }: { option: ChartOption; height?: number; label: string; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { reducedMotion } = useDisplayMode();

  useEffect(() => {
    if (!host.current) return;
    const instance = echarts.init(host.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // no growing bars or sweeping pies for a user who asked the system for reduced motion
    chart.current?.setOption({ aria: { enabled: true }, animation: !reducedMotion, ...option }, true);
  }, [option, reducedMotion]);

  return <div ref={host} className="mz-chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />;
}
