// Where tfjs finds a tensor's data and its record: on the tensor's data id itself, not in
// WeakMaps keyed by it.
//
// Each backend keeps its tensors' data in a DataStorage, and the engine keeps a record of
// every data buffer; both are WeakMaps keyed by the data id object. Every wasm kernel looks
// up each of its inputs and outputs there (`has`, then `get`), and every new tensor adds to
// both: a new key is given an identity hash and a place in an ephemeron table that every
// garbage collection walks. Here each map is a symbol of its own and each value a property
// under it on the data id, so a lookup is one property load. A value lives exactly as long
// as the WeakMap would keep it: while its data id is reachable.
//
// Switched on once, when the backend starts and holds no data (a WeakMap's entries cannot
// be listed to move them); there is no switching back.
import * as tf from '@tensorflow/tfjs';

/** A WeakMap's has/get/set/delete, with each value in a symbol-keyed property of its key. */
export class SlotMap<K extends object, V> {
  private readonly slot = Symbol('dlnb data id slot');

  has(key: K): boolean {
    return (key as Record<symbol, V | undefined>)[this.slot] !== undefined;
  }

  get(key: K): V | undefined {
    return (key as Record<symbol, V | undefined>)[this.slot];
  }

  set(key: K, value: V): this {
    (key as Record<symbol, V | undefined>)[this.slot] = value;
    return this;
  }

  /** Leaves the property in place, as undefined: deleting it would slow every later lookup on that key. */
  delete(key: K): boolean {
    if (!this.has(key)) return false;
    (key as Record<symbol, V | undefined>)[this.slot] = undefined;
    return true;
  }
}

interface DataMover {
  moveData(backend: unknown, dataId: object): void;
}

/** tfjs-core's DataStorage, method for method, on a SlotMap. */
class SlotDataStorage<V> {
  private readonly data = new SlotMap<object, V>();
  private dataIdsCount = 0;

  constructor(
    readonly backend: unknown,
    readonly dataMover: DataMover,
  ) {}

  get(dataId: object): V | undefined {
    // Data that lives on another backend is moved here first, as tfjs does.
    if (!this.data.has(dataId)) this.dataMover.moveData(this.backend, dataId);
    return this.data.get(dataId);
  }

  set(dataId: object, value: V): void {
    this.dataIdsCount++;
    this.data.set(dataId, value);
  }

  has(dataId: object): boolean {
    return this.data.has(dataId);
  }

  delete(dataId: object): boolean {
    this.dataIdsCount--;
    return this.data.delete(dataId);
  }

  numDataIds(): number {
    return this.dataIdsCount;
  }
}

interface BackendInternals {
  dataIdMap?: { numDataIds(): number; dataMover: DataMover };
}

interface EngineInternals {
  backend: BackendInternals;
  state: { numDataBuffers: number; tensorInfo: unknown };
}

/**
 * Puts the current backend's data and the engine's records on data ids. Returns whether
 * it did: not when either already holds data, or the backend keeps no DataStorage.
 */
export function storeOnDataIds(): boolean {
  const engine = tf.engine() as unknown as EngineInternals;
  const backend = engine.backend;
  const storage = backend.dataIdMap;
  if (storage instanceof SlotDataStorage) return true;
  if (!storage || storage.numDataIds() !== 0 || engine.state.numDataBuffers !== 0) return false;
  backend.dataIdMap = new SlotDataStorage(backend, storage.dataMover);
  engine.state.tensorInfo = new SlotMap();
  return true;
}
