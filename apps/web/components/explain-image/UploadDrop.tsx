'use client';
import { useState, type DragEvent } from 'react';
import styles from '../ExplainImage.module.css';

/**
 * The drop zone: drop a PNG or JPEG on it or click to choose one; shows the chosen image's
 * preview, name and size.
 */
export function UploadDrop({
  file,
  preview,
  onPick,
}: {
  file: File | null;
  preview: string | null;
  onPick: (file: File | null | undefined) => void;
}) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (e: DragEvent<HTMLLabelElement>) => {
    e.preventDefault();
    setDragging(false);
    onPick(e.dataTransfer.files?.[0]);
  };
  return (
    <label
      className={`${styles.drop}${dragging ? ` ${styles.dragging}` : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="explain-drop"
    >
      {preview ? (
        // A plain <img>: a local object URL.
        <img src={preview} alt="Uploaded image" className={styles.preview} />
      ) : (
        <span>Drop a PNG or JPEG here, or click to choose one</span>
      )}
      <input
        type="file"
        accept="image/png,image/jpeg"
        data-testid="explain-file"
        onChange={(e) => onPick(e.target.files?.[0])}
      />
      {file ? (
        <span className="meta">
          {file.name} · {(file.size / 1024).toFixed(1)} KiB
        </span>
      ) : null}
    </label>
  );
}
