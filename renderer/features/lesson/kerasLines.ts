/** The Keras each lesson step corresponds to, as the tutorial chapter writes it (code: the same in every language). */
export const kerasLines = {
  baseline:
    "model = Sequential()\nmodel.add(Dense(512, input_dim=784, activation='relu'))\nmodel.add(Dense(10, activation='softmax'))\nmodel.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])",
  callbacks:
    "checkpointer = ModelCheckpoint(filepath=modelpath, monitor='val_loss', save_best_only=True)\nearly_stopping = EarlyStopping(monitor='val_loss', patience=10)\nhistory = model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=30, batch_size=200,\n                    callbacks=[early_stopping, checkpointer])",
  cnn: "model = Sequential()\nmodel.add(Conv2D(32, kernel_size=(3, 3), input_shape=(28, 28, 1), activation='relu'))\nmodel.add(Conv2D(64, (3, 3), activation='relu'))\nmodel.add(MaxPooling2D(pool_size=2))\nmodel.add(Dropout(0.25))\nmodel.add(Flatten())\nmodel.add(Dense(128, activation='relu'))\nmodel.add(Dropout(0.5))\nmodel.add(Dense(10, activation='softmax'))",
  ideas:
    "model.add(Conv2D(32, kernel_size=(3, 3), input_shape=(28, 28, 1), activation='relu'))\nmodel.add(MaxPooling2D(pool_size=2))\nmodel.add(Dropout(0.25))\nmodel.add(Flatten())",
  labels: 'y_train = np_utils.to_categorical(y_train, 10)\ny_test = np_utils.to_categorical(y_test, 10)',
  mnist: "(x_train, y_train), (x_test, y_test) = mnist.load_data()\nprint(x_train.shape)  # (60000, 28, 28)\nplt.imshow(x_train[0], cmap='Greys')",
  pixels: "x_train = x_train.reshape(x_train.shape[0], 784).astype('float32') / 255\nx_test = x_test.reshape(x_test.shape[0], 784).astype('float32') / 255",
  plot: "y_vloss = history.history['val_loss']\ny_loss = 1 - np.array(history.history['accuracy'])\nplt.plot(x_len, y_vloss, marker='.', c='red', label='Testset_loss')\nplt.plot(x_len, y_loss, marker='.', c='blue', label='Trainset_error')",
  train: "history = model.fit(...)\nprint('Test Accuracy: %.4f' % (model.evaluate(x_test, y_test)[1]))",
} as const;
