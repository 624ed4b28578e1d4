// Collects stream text between flushes so a cell printing 100,000 lines costs a few
// output edits per second, not one per line. Pure; the writer decides when to flush.

export type StreamName = 'stdout' | 'stderr';

export interface StreamChunk {
  name: StreamName;
  text: string;
}

export class StreamBuffer {
  private chunks: StreamChunk[] = [];

  get isEmpty(): boolean {
    return this.chunks.length === 0;
  }

  push(name: StreamName, text: string): void {
    if (!text) return;
    const last = this.chunks[this.chunks.length - 1];
    // Consecutive text of one stream joins; stdout and stderr interleave in order.
    if (last && last.name === name) last.text += text;
    else this.chunks.push({ name, text });
  }

  /** Everything pushed since the last take, in order, with neighbours of one stream joined. */
  take(): StreamChunk[] {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks;
  }
}
